/**
 * A resource every other resource of the stack is created before, so that a destroy deletes it first: its
 * deletion checks that the destroy can finish (no bucket it would delete holds objects the stack did not
 * write) and refuses, before anything is deleted, when it cannot.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkDestroyCanFinish, DestroyCheck as Check } from "../lifecycle";
import { withSecretProfile } from "./secretProfile";

export const destroyCheckProvider: pulumi.dynamic.ResourceProvider<Check, Check> = {
    async create(inputs) {
        return { id: "destroy-check", outs: inputs };
    },
    async diff(_id, olds, news) {
        return { changes: JSON.stringify(olds) !== JSON.stringify(news), replaces: [], deleteBeforeReplace: false };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
    async delete(_id, props) {
        await checkDestroyCanFinish(props);
    },
};

export interface DestroyCheckArgs {
    /** Buckets a destroy would delete (created, not retained, not emptied on purpose), with their setting. */
    readonly buckets: pulumi.Input<pulumi.Input<{ bucket: pulumi.Input<string>; setting: string }>[]>;
    /** Object versions this stack wrote, which a destroy deletes on the way. */
    readonly ownVersions: pulumi.Input<
        pulumi.Input<{ bucket: pulumi.Input<string>; key: pulumi.Input<string>; versionId: pulumi.Input<string> }>[]
    >;
    readonly region: pulumi.Input<string>;
    /** @default the ambient AWS profile */
    readonly profile?: pulumi.Input<string>;
    /** An S3-compatible server, for tests. @default AWS */
    readonly endpoint?: pulumi.Input<string>;
}

/** Give it `dependsOn` every other resource of the stack, so a destroy deletes it first. */
export class DestroyCheck extends pulumi.dynamic.Resource {
    constructor(name: string, args: DestroyCheckArgs, opts?: pulumi.CustomResourceOptions) {
        super(destroyCheckProvider, name, { ...args }, withSecretProfile(opts), "lifecycle", "DestroyCheck");
    }
}
