import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ConnectorPluginArgs {
    /** Custom plugin name, e.g. `confluentinc-kafka-connect-s3-10-5-15` (1-128 characters). */
    readonly pluginName: string;
    /** ARN of the bucket holding the zip. */
    readonly bucketArn: pulumi.Input<string>;
    /** S3 key of the zip. */
    readonly objectKey: pulumi.Input<string>;
    /**
     * S3 version of the zip to pin. Empty or undefined when the bucket is not versioned.
     * @default the latest object at the key
     */
    readonly objectVersion?: pulumi.Input<string>;
    /** @default "Confluent S3 sink connector <version>, managed by Pulumi (msk-s3-sink)" */
    readonly description?: string;
    /**
     * ARN of an existing custom plugin of this name to adopt (the `import` resource option) instead of creating one.
     * @default create it
     */
    readonly importId?: string;
}

/** Custom timeouts for custom plugin creation and deletion: MSK Connect is slow to settle. */
export const CUSTOM_PLUGIN_TIMEOUTS: pulumi.CustomTimeouts = { create: "20m", update: "20m", delete: "20m" };

/**
 * The MSK Connect custom plugin made from the uploaded zip (content type ZIP), pinned to the object's
 * version when the bucket is versioned. Custom plugins are immutable and their name is fixed per version,
 * so a change replaces the plugin by deleting it first.
 */
export class ConnectorPlugin extends pulumi.ComponentResource {
    /** ARN of the custom plugin. */
    declare public readonly arn: pulumi.Output<string>;
    /** Latest revision of the custom plugin (what a connector references). */
    declare public readonly revision: pulumi.Output<number>;
    /** Name of the custom plugin. */
    declare public readonly pluginName: pulumi.Output<string>;
    declare public readonly customPlugin: aws.mskconnect.CustomPlugin;

    constructor(name: string, args: ConnectorPluginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("msk-s3-sink:plugin:ConnectorPlugin", name, {}, opts);

        if (args.pluginName.length < 1 || args.pluginName.length > 128) {
            throw new pulumi.ResourceError(`custom plugin name ${JSON.stringify(args.pluginName)} must be 1-128 characters.`, this);
        }
        const description = args.description ?? "Confluent S3 sink connector, managed by Pulumi (msk-s3-sink)";
        if (description.length > 1024) {
            throw new pulumi.ResourceError("custom plugin description must be at most 1024 characters.", this);
        }

        const objectVersion = pulumi.output(args.objectVersion ?? "").apply((v) => (v ? v : undefined));
        this.customPlugin = new aws.mskconnect.CustomPlugin(
            `${name}-custom-plugin`,
            {
                name: args.pluginName,
                description,
                contentType: "ZIP",
                location: {
                    s3: {
                        bucketArn: args.bucketArn,
                        fileKey: args.objectKey,
                        objectVersion,
                    },
                },
            },
            {
                parent: this,
                deleteBeforeReplace: true,
                customTimeouts: CUSTOM_PLUGIN_TIMEOUTS,
                ...(args.importId ? { import: args.importId } : {}),
            },
        );

        this.arn = this.customPlugin.arn;
        this.revision = this.customPlugin.latestRevision;
        this.pluginName = this.customPlugin.name;
        this.registerOutputs({ arn: this.arn, revision: this.revision, pluginName: this.pluginName });
    }
}
