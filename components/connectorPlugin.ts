import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { adoptionOptions } from "./adoption";

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
     * An existing custom plugin of this name that the stack adopts instead of creating one. Its zip location is
     * kept as it was made (`ignoreChanges`: it cannot be read before the import, and a change would replace it);
     * `importId` is given until the plugin carries this stack's tags, and on that run its tags are left as they are
     * (the import must match what AWS holds; the adoption tags it, and the next update records the tags).
     * @default create it
     */
    readonly adopt?: { readonly importId?: string };
}

/** Custom timeouts for custom plugin creation and deletion: MSK Connect is slow to settle. */
export const CUSTOM_PLUGIN_TIMEOUTS: pulumi.CustomTimeouts = { create: "20m", update: "20m", delete: "20m" };

/**
 * The MSK Connect custom plugin made from the uploaded zip (content type ZIP), pinned to the object's
 * version when the bucket is versioned. Custom plugins are immutable and their name changes with the
 * version, so an upgrade creates the new plugin before anything is deleted (the connector moves to it, and
 * the old plugin goes last); a new zip under the same version is refused by the preflight instead.
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
                customTimeouts: CUSTOM_PLUGIN_TIMEOUTS,
                ...(args.adopt ? adoptionOptions(args.adopt.importId, ["location"]) : {}),
            },
        );

        this.arn = this.customPlugin.arn;
        this.revision = this.customPlugin.latestRevision;
        this.pluginName = this.customPlugin.name;
        this.registerOutputs({ arn: this.arn, revision: this.revision, pluginName: this.pluginName });
    }
}
