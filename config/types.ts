/** The typed, validated settings the parser produces: what the rest of the program sees of the stack. */
import type { Finding } from "../doctor";
import type { Adoptable } from "./settings";
import type { ReadingNote } from "./stackFile";

/** How the connector's capacity is set. Defaults are the MSK console's "default capacity". */
export type CapacitySettings =
    | {
          readonly mode: "autoscaling";
          readonly mcuCount: number;
          readonly minWorkerCount: number;
          readonly maxWorkerCount: number;
          readonly scaleInCpuPercent: number;
          readonly scaleOutCpuPercent: number;
      }
    | { readonly mode: "provisioned"; readonly mcuCount: number; readonly workerCount: number };

export type PluginSource =
    | { readonly kind: "download"; readonly url: string; readonly sha256: string }
    | { readonly kind: "local"; readonly path: string; readonly sha256: string };

export type ExecutionRoleSettings =
    | { readonly mode: "lookup"; readonly name: string }
    | { readonly mode: "lookup"; readonly namePrefix: string }
    | { readonly mode: "create" };

export interface VerificationSettings {
    readonly enabled: boolean;
    readonly query: string;
    readonly minRecords: number;
    readonly method: "auto" | "select" | "get";
    readonly timeoutSeconds: number;
    readonly pollIntervalSeconds: number;
    readonly prefix: string;
    readonly endpoint?: string;
    /** Pass only on an object this deploy's connector wrote. */
    readonly freshData: boolean;
}

/** Auto-restart of failed tasks (opt-in). */
export interface AutoRestartSettings {
    readonly enabled: boolean;
    /** Restarts before the function stops and leaves the alarm to a person. */
    readonly maxRestarts: number;
}

/**
 * One sink: a connector with its own topics, name, configuration, capacity and verification, sharing the stack's
 * plugin and cluster. Its settings are the stack's with the sink's own fields read over them.
 */
export interface SinkSettings {
    /** The sink's name, its key in `sinks` (`default` for a stack that sets the single-sink keys only). */
    readonly name: string;
    /** True for the sink named `default`: its resources keep the names a single-sink stack has always had. */
    readonly legacyNames: boolean;
    /** How its settings are named in messages: `msk-s3-sink:` for the single-sink keys, else `msk-s3-sink:sinks.<name>.`. */
    readonly keyPrefix: string;
    /** The fields the sink sets itself under `sinks.<name>` (none for the single-sink keys: it is the stack). */
    readonly ownFields: readonly string[];
    /** The stack's settings as this sink sees them (its own fields over the stack's). */
    readonly settings: SinkView;
}

/** What one sink sees: the stack's settings without the list of sinks. */
export type SinkView = Omit<StackSettings, "sinks">;

/** Everything the program needs, typed and validated. */
export interface StackSettings {
    /** The sinks, in the order the stack file writes them; one (named `default`) unless `sinks` is set. */
    readonly sinks: readonly SinkSettings[];
    readonly stack: string;
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
    readonly pluginsBucket: { readonly name: string; readonly create: boolean };
    readonly targetBucket: { readonly name: string; readonly create: boolean };
    /** Keep created buckets when the stack is destroyed. */
    readonly retainBucketsOnDestroy: boolean;
    /** Let `pulumi destroy` delete a created target bucket with every object in it (only when not retained). */
    readonly emptyTargetBucketOnDestroy: boolean;
    /** The stack's `aws:*` settings for the explicit AWS provider (names without `aws:`), and which are secrets. */
    readonly awsProvider: { readonly settings: Readonly<Record<string, unknown>>; readonly secret: readonly string[] };
    readonly kmsKeyArn?: string;
    readonly plugin: {
        readonly version: string;
        readonly source: PluginSource;
        /** S3 key of the uploaded zip. */
        readonly objectKey: string;
        /** MSK Connect custom plugin name. */
        readonly customPluginName: string;
        /** A custom plugin another stack manages, used as it is: never adopted, never deleted (`pluginArn`). */
        readonly existingArn?: string;
        /** The zip's file name (the cache keeps it under `<cacheDir>/<sha256>/`). */
        readonly fileName: string;
        /** Where a downloaded zip is cached on the deploying machine. */
        readonly cacheDir: string;
    };
    readonly mskClusterName: string;
    readonly connectorName: string;
    readonly topics: readonly string[];
    readonly flushSizeRecords: number;
    readonly tasksMax: number;
    readonly extraConnectorConfig: Readonly<Record<string, string>>;
    /** The lab's block merged with the extra keys: exactly what the connector gets. */
    readonly connectorConfiguration: Readonly<Record<string, string>>;
    readonly capacity: CapacitySettings;
    readonly kafkaConnectVersion: string;
    /** Worker configuration to look up by name; undefined for none. */
    readonly workerConfigurationName?: string;
    /** The worker configuration's revision the connector runs: a pinned number, or the latest at each run. */
    readonly workerConfigurationRevision: number | "latest";
    readonly executionRole: ExecutionRoleSettings;
    readonly logGroup: {
        readonly mode: "lookup" | "create";
        readonly name: string;
        readonly retentionDays: number;
        readonly kmsKeyArn?: string;
    };
    readonly verification: VerificationSettings;
    /** The state `pulumi up` keeps the connector in. */
    readonly connectorState: "running" | "paused";
    readonly autoRestart: AutoRestartSettings;
    /** SNS topic the errored-tasks alarm notifies (with autoRestart only). */
    readonly alarmTopicArn?: string;
    readonly doctor: { readonly silence: readonly string[]; readonly expectedRecordsPerSecond: number };
    /** Existing resources of our names this stack adopts instead of stopping (`adoptExisting`). */
    readonly adoptExisting: readonly Adoptable[];
    /** Full keys of secrets this run could not decrypt (a stack file read offline): not checked, shown as `[secret]`. */
    readonly opaqueSecrets: readonly string[];
    /** Scalars of the stack file that `pulumi up` receives other than as written (empty inside `pulumi up`). */
    readonly readingNotes: readonly ReadingNote[];
    /** The doctor's warnings on the connector configuration (errors stop the program instead). */
    readonly warnings: readonly Finding[];
}
