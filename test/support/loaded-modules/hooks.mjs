// Loader hooks of register.mjs: every URL loaded, sent back when asked ("list").
const loaded = [];
export function initialize({ port }) {
  port.on("message", () => port.postMessage([...loaded]));
  port.unref();
}
export async function load(url, context, next) {
  loaded.push(url);
  return next(url, context);
}
