import { listenWithGracefulShutdown, loadConfigOrExit, runMain } from "@authflow/service-kit";
import { buildApp } from "./app.js";
import { configSchema } from "./config.js";

runMain(async () => {
  const config = loadConfigOrExit(configSchema);
  const app = await buildApp(config);
  await listenWithGracefulShutdown(app, { host: config.HOST, port: config.PORT });
});
