/**
 * Room `operate/`: running the connector day to day: pause, resume and restart refused before AWS is called
 * when AWS would refuse them, then followed to their end within one deadline; `status` with its verdict
 * (state, operations, CloudWatch task counts, the newest sink object); and the auto-restart decision with
 * Strimzi's back-off and the function body that applies it. Imports `common/`, `sink/` and `verification/`
 * (its MSK Connect client, retries and deadlines); AWS SDK modules are required inside functions, so a
 * dynamic provider or a Lambda serializes it cleanly.
 */
export * from "./autoRestart";
export * from "./context";
export * from "./desiredState";
export * from "./errors";
export * from "./lifecycle";
export * from "./metrics";
export * from "./newestObject";
export * from "./refusals";
export * from "./restartFunction";
export * from "./status";
export * from "./verdict";
