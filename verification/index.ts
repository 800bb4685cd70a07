/**
 * Room `verification/`: proof that the sink's data landed, as run by the SinkVerification dynamic provider
 * and `npm run verify` alike: waiting for the object, choosing it, querying it with S3 Select or the
 * GetObject fallback (our SQL subset), and the result with its sample. Imports `common/`, `sql/` and
 * `sink/` only; AWS SDK modules are required inside functions, so the provider serializes cleanly.
 */
export * from "./configDiff";
export * from "./connectorHealth";
export * from "./connectorHealthTypes";
export * from "./connectorOperations";
export * from "./errors";
export * from "./jsonLines";
export * from "./kafkaConnectClient";
export * from "./s3Client";
export * from "./sinkCheck";
export * from "./types";
export * from "./waitForObject";
