import * as pulumi from "@pulumi/pulumi";

/**
 * The options of a dynamic resource that takes the stack's AWS profile: the profile name is kept a secret in
 * the state whether or not the stack marked `aws:profile` secure (a name can say whose account it reaches).
 */
export function withSecretProfile(opts: pulumi.CustomResourceOptions | undefined, ...more: string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...more, "profile"] };
}
