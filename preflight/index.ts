/**
 * Room `preflight/`: everything looked up in the account before anything is registered (buckets, cluster,
 * role, log group, worker configuration), checked, with one error that lists every failure. The program
 * hands what was found to the components as plain args. Imports `common/` and `config/` only.
 */
export * from "./buckets";
export * from "./connectorDependencies";
export * from "./kms";
export { LookupError } from "./lookupError";
export * from "./preflight";
