import { appRoutes } from "./app.js";
import { blobRoutes } from "./blobs.js";
import { checkRoutes } from "./checks.js";
import { commentRoutes } from "./comments.js";
import { contentRoutes } from "./contents.js";
import { hookDeliveryRoutes } from "./hook-deliveries.js";
import { installationRoutes } from "./installations.js";
import { issueRoutes } from "./issues.js";
import { labelRoutes } from "./labels.js";
import { pullRoutes } from "./pulls.js";
import { repoRoutes } from "./repos.js";
import { searchRoutes } from "./search.js";
import { teamRoutes } from "./teams.js";
import { timelineRoutes } from "./timeline.js";
import type { RouteTable } from "./types.js";

/** Every endpoint the emulator implements, keyed by `METHOD /openapi/template`. */
export const routes: RouteTable = {
  ...appRoutes,
  ...repoRoutes,
  ...contentRoutes,
  ...blobRoutes,
  ...installationRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...labelRoutes,
  ...pullRoutes,
  ...checkRoutes,
  ...teamRoutes,
  ...timelineRoutes,
  ...hookDeliveryRoutes,
  ...searchRoutes,
};

export type { Handler, RouteContext, RouteResult, RouteTable } from "./types.js";
