/**
 * The tags that make an adopted connector or custom plugin this stack's, written right after its import.
 *
 * An import must match what AWS holds, so the adopting run leaves the hand-made resource's tags as they are
 * (`ignoreChanges`); this resource then tags it with the stack's tags (MSK Connect's TagResource), so the next
 * run's preflight sees it as the stack's, drops `import` and `ignoreChanges` on tags, and that normal update
 * records the tags in the state. Deleting this resource (the next run no longer registers it) changes nothing.
 * Its provider holds no client or credentials: it requires the SDK when it runs, with the stack's region and profile.
 */
import * as pulumi from "@pulumi/pulumi";
import { withSecretProfile } from "./secretProfile";

interface Inputs {
    readonly arn: string;
    readonly tags: Record<string, string>;
    readonly region: string;
    readonly profile?: string;
    /** An MSK Connect stand-in, for tests. @default AWS */
    readonly endpoint?: string;
}

/** Tag the resource, with a time limit on the call; a failure says what failed and what to do. */
async function tagIt(inputs: Inputs): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const client = new sdk.KafkaConnectClient({
        region: inputs.region,
        ...(inputs.profile ? { profile: inputs.profile } : {}),
        ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
        maxAttempts: 4,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    try {
        await client.send(new sdk.TagResourceCommand({ resourceArn: inputs.arn, tags: inputs.tags }));
    } catch (e) {
        const err = e as { name?: string; message?: string };
        throw new Error(
            `the adopted resource ${inputs.arn} was imported, but tagging it as this stack's failed (${err.name ?? "Error"}: ${err.message ?? String(e)}). The deploying identity needs kafkaconnect:TagResource on it; run \`pulumi up\` again once it has.`,
        );
    } finally {
        client.destroy();
    }
}

export const adoptionTagsProvider: pulumi.dynamic.ResourceProvider<Inputs, Inputs> = {
    async create(inputs) {
        await tagIt(inputs);
        return { id: `${inputs.arn}#tags`, outs: inputs };
    },
    async diff(_id, olds, news) {
        const changes = olds.arn !== news.arn || JSON.stringify(olds.tags) !== JSON.stringify(news.tags);
        return { changes, replaces: olds.arn !== news.arn ? ["arn"] : [], deleteBeforeReplace: false };
    },
    async update(_id, _olds, news) {
        await tagIt(news);
        return { outs: news };
    },
    async delete() {
        // Nothing to undo: the tags stay, they are what makes the resource this stack's.
    },
};

export interface AdoptionTagsArgs {
    /** ARN of the imported connector or custom plugin. */
    readonly arn: pulumi.Input<string>;
    /** The tags the provider's default tags give every resource of this stack. */
    readonly tags: pulumi.Input<Record<string, string>>;
    readonly region: pulumi.Input<string>;
    /** @default the ambient AWS profile */
    readonly profile?: pulumi.Input<string>;
    readonly endpoint?: pulumi.Input<string>;
}

export class AdoptionTags extends pulumi.dynamic.Resource {
    constructor(name: string, args: AdoptionTagsArgs, opts?: pulumi.CustomResourceOptions) {
        super(adoptionTagsProvider, name, { ...args }, withSecretProfile(opts), "adoption", "AdoptionTags");
    }
}
