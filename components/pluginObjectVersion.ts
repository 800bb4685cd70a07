/**
 * The connector zip's version that this stack uploaded, as a resource whose deletion removes exactly that
 * version. Its provider holds no state: it requires the AWS SDK when it runs and uses the ambient AWS
 * credentials (with the stack's profile).
 */
import * as pulumi from "@pulumi/pulumi";
import { deleteOwnVersion, OwnObjectVersion } from "../lifecycle";
import { withSecretProfile } from "./secretProfile";

type Inputs = OwnObjectVersion;

/** Inputs whose change means another object version: the old one is deleted once the new one is recorded. */
const IDENTITY = ["bucket", "key", "versionId"] as const;

export const pluginObjectVersionProvider: pulumi.dynamic.ResourceProvider<Inputs, Inputs> = {
    async create(inputs) {
        return { id: `s3://${inputs.bucket}/${inputs.key}#${inputs.versionId || "unversioned"}`, outs: inputs };
    },
    async diff(_id, olds, news) {
        const replaces = IDENTITY.filter((k) => olds[k] !== news[k]);
        const changes =
            replaces.length > 0 ||
            (["region", "profile", "endpoint", "sha256"] as const).some((k) => (olds[k] ?? null) !== (news[k] ?? null));
        return { changes, replaces: [...replaces], deleteBeforeReplace: false };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
    async delete(_id, props) {
        await deleteOwnVersion(props);
    },
};

export interface PluginObjectVersionArgs {
    readonly bucket: pulumi.Input<string>;
    readonly key: pulumi.Input<string>;
    /** The version id of the upload ("" when the bucket is not versioned). */
    readonly versionId: pulumi.Input<string>;
    readonly sha256: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    /** @default the ambient AWS profile */
    readonly profile?: pulumi.Input<string>;
    /** An S3-compatible server, for tests. @default AWS */
    readonly endpoint?: pulumi.Input<string>;
}

export class PluginObjectVersion extends pulumi.dynamic.Resource {
    constructor(name: string, args: PluginObjectVersionArgs, opts?: pulumi.CustomResourceOptions) {
        super(pluginObjectVersionProvider, name, { ...args }, withSecretProfile(opts), "lifecycle", "PluginObjectVersion");
    }
}
