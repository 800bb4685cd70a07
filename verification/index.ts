/**
 * Room `verification/`: proof that the sink's data landed, as run by the SinkVerification dynamic provider
 * and `npm run verify` alike: one deadline for the whole check, listing the prefix as sink keys and choosing
 * the lowest offset, querying it with S3 Select or the GetObject fallback (our SQL subset, streaming with
 * bounded memory), failure kinds that name the call, and the result with its bounded sample. Imports
 * `common/`, `sql/` and `sink/` only; AWS SDK modules are required inside functions, so the provider
 * serializes cleanly.
 */
export * from "./configDiff";
export * from "./connectorHealth";
export * from "./connectorHealthTypes";
export * from "./connectorOperations";
export * from "./errors";
export * from "./freshness";
export * from "./proof";
export * from "./jsonLines";
export * from "./kafkaConnectClient";
export * from "./listing";
export * from "./options";
export * from "./query";
export * from "./run";
export * from "./s3Client";
export * from "./sample";
export * from "./select";
export * from "./sinkCheck";
export * from "./types";
export * from "./waitForObject";
