// Bottleneck's light build (no Redis client code: what @octokit/plugin-throttling loads) has the
// full build's API and types.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
