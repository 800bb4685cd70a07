/**
 * Room `preflight/`: everything looked up in the account before anything is registered (buckets, cluster,
 * role, log group, worker configuration), checked, with the account checks no resource could make in time
 * (names already taken, the plugin key already holding a file, the connector's route to S3 and security
 * groups), and one error that lists every failure. The program hands what was found to the components as
 * plain args. Imports `common/` and `config/` only.
 */
export * from "./buckets";
export * from "./connectorDependencies";
export * from "./existing";
export * from "./kms";
export * from "./lookupError";
export * from "./network";
export * from "./pluginObject";
export * from "./pluginZip";
export * from "./preflight";
export * from "./securityGroups";
export * from "./sharedPlugin";
