import * as pulumi from "@pulumi/pulumi";

/**
 * The options of a dynamic resource that takes the stack's AWS profile: its `profile` output (and `more`) is
 * a secret of the state. This marks outputs only; the program hands the profile in as a secret input too.
 */
export function withSecretProfile(opts: pulumi.CustomResourceOptions | undefined, ...more: string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...more, "profile"] };
}
