/**
 * A custom plugin another stack manages (`pluginArn`): used as it is, never adopted, never deleted. The preflight
 * checks it exists under that ARN, is ACTIVE, and was made from the zip this stack pins (when its description
 * says, as this program's do); the connectors run its latest revision.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, SinkView } from "../config";
import { isNotFound, LookupError, PreflightWarning, reason } from "./lookupError";

/** The plugin the connectors run, as the preflight found it. */
export interface ExistingPlugin {
    readonly arn: string;
    readonly revision: number;
    readonly warnings: readonly PreflightWarning[];
}

const KEY = `${PROJECT}:pluginArn`;

/** The name in a custom plugin's ARN (`…:custom-plugin/<name>/<id>`). */
export function pluginNameOfArn(arn: string): string {
    return arn.split("/")[1] ?? arn;
}

function refused(message: string): never {
    throw new LookupError([message]);
}

/** The plugin behind `pluginArn`, checked; rejects with what to do when it cannot be used. */
export async function checkExistingPlugin(s: SinkView, arn: string, opts: pulumi.InvokeOptions): Promise<ExistingPlugin> {
    const name = pluginNameOfArn(arn);
    const found = await aws.mskconnect
        .getCustomPlugin({ name }, opts)
        .catch((e: unknown) =>
            refused(
                isNotFound(e, "customPlugin")
                    ? `custom plugin "${name}" (${KEY} = ${arn}) does not exist in this account and region. Fix: create it in the stack that manages it first (\`pulumi up\` there), or correct ${KEY} (\`aws kafkaconnect list-custom-plugins\`).`
                    : `custom plugin "${name}" (${KEY}) could not be looked up: ${reason(e)}. The deploying identity needs kafkaconnect:ListCustomPlugins and kafkaconnect:DescribeCustomPlugin.`,
            ),
        );
    if (found.arn !== arn) {
        refused(
            `custom plugin "${name}" exists as ${found.arn}, not ${arn} (${KEY}): it was made again since. Fix: \`pulumi config set ${KEY} ${found.arn}\` if that is the plugin to run.`,
        );
    }
    if (found.state !== "ACTIVE") {
        refused(
            `custom plugin "${name}" (${KEY}) is ${found.state}, not ACTIVE, so no connector can be created on it. Fix: wait until the stack that manages it has finished (\`aws kafkaconnect describe-custom-plugin --custom-plugin-arn ${arn}\`), or fix it there; then run again.`,
        );
    }
    const made = /sha256 ([0-9a-f]{12})/.exec(found.description ?? "")?.[1];
    if (made !== undefined && !s.plugin.source.sha256.startsWith(made)) {
        refused(
            `custom plugin "${name}" (${KEY}) was made from a zip whose SHA-256 starts ${made}, but ${PROJECT}:pluginSha256 pins ${s.plugin.source.sha256.slice(0, 12)}…: the connectors would run another file than this stack vetted. Fix: pin the digest that plugin was made from, or point ${KEY} at a plugin of the pinned zip.`,
        );
    }
    const warnings: PreflightWarning[] =
        made === undefined
            ? [
                  {
                      rule: "shared-plugin-unchecked",
                      key: KEY,
                      message: `custom plugin "${name}"'s description does not name the zip it was made from, so whether it is the one ${PROJECT}:pluginSha256 pins is not checked. The connectors run its latest revision (${found.latestRevision}).`,
                  },
              ]
            : [];
    return { arn, revision: found.latestRevision, warnings };
}
