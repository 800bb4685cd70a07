/**
 * Room `lifecycle/`: what runs when this stack's resources are deleted. Removing exactly the object
 * versions the stack wrote (never another upload to the same key), and checking, before a destroy deletes
 * anything, that it cannot stop halfway on a bucket that still holds objects. Imports `common/` only; AWS
 * SDK modules are required inside functions, so the dynamic providers that run this serialize cleanly.
 */
export * from "./client";
export * from "./destroyCheck";
export * from "./ownVersions";
