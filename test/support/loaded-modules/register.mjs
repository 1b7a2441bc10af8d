// `node --import <this file>`: records every module the process loads through the ES module loader
// (each import, including a CommonJS package imported from ESM), in the loader hooks' thread.
// `globalThis.loadedModules()` resolves to their URLs, in load order.
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";

const { port1, port2 } = new MessageChannel();
register("./hooks.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
port1.unref();
globalThis.loadedModules = () =>
  new Promise((resolve) => {
    port1.ref();
    port1.once("message", (list) => {
      port1.unref();
      resolve(list);
    });
    port1.postMessage("list");
  });
