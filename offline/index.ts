/**
 * Room `offline/`: running the project without AWS. Pulumi's mock runtime set up for this program, the
 * offline plan built on it, local S3 servers on loopback, and sink data in the sink's exact format. Used
 * by `npm run plan`, `npm run demo`, `npm run bench` and the tests; the deployed program never imports it.
 */
export * from "./engineModel";
export * from "./faultProxy";
export * from "./kafkaConnectApi";
export * from "./localS3";
export * from "./mockRuntime";
export * from "./plan";
export * from "./replacements";
export * from "./sinkSample";
export * from "./strictMonitor";
