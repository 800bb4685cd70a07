/**
 * The whole proof, as the dynamic provider and `npm run verify` run it: first the connector's health (it
 * runs, its newest update took, it runs the configuration asked for), then the data under the sink's
 * prefix. One deadline covers both. With fresh data asked for, only an object written since the
 * connector's configuration took effect (its creation, or the end of its newest update) counts.
 */
import { checkConnectorHealth } from "./connectorHealth";
import type { ConnectorHealthResult } from "./connectorHealthTypes";
import { VerificationError } from "./errors";
import type { FreshRule } from "./freshness";
import { verifySink } from "./sinkCheck";
import type { SinkCheckOptions, SinkCheckResult } from "./types";
import { CHECK_DEFAULTS } from "./types";

export interface ProofOptions extends Omit<SinkCheckOptions, "fresh"> {
    /** The connector to check first: its ARN, or its exact name. @default no connector check */
    readonly connector?: string;
    /** The connector configuration the stack asked for; the live one must equal it. @default not compared */
    readonly expectedConfiguration?: Readonly<Record<string, string>>;
    /** Where expectedConfiguration came from, when not from a stack (for messages). @default the stack */
    readonly expectedConfigurationSource?: string;
    /** The connector's Pulumi URN, for the `pulumi up --replace` command a FAILED connector needs. */
    readonly connectorUrn?: string;
    /** An MSK Connect-compatible server (the local stand-in in tests). @default AWS */
    readonly kafkaConnectEndpoint?: string;
    /** Pass only on an object this connector wrote (fresh data). @default false */
    readonly freshData?: boolean;
}

export interface ProofResult {
    /** What the connector check found; null when no connector was given. */
    readonly connector: ConnectorHealthResult | null;
    readonly data: SinkCheckResult;
}

/** The moment the connector's configuration took effect: its creation, or the end of its newest update if later. */
export function configurationTookEffect(h: ConnectorHealthResult): string | undefined {
    const times = [h.createdAt, h.operation?.endTime ?? h.operation?.creationTime].filter((t): t is string => typeof t === "string");
    return times.sort().pop();
}

/** The connector's health, then the data; throws the first failure (ConnectorHealthError or VerificationError). */
export async function proveSinkWorks(o: ProofOptions): Promise<ProofResult> {
    const startedAt = Date.now();
    const timeoutSeconds = o.timeoutSeconds ?? CHECK_DEFAULTS.timeoutSeconds;
    const connector = o.connector
        ? await checkConnectorHealth({
              connector: o.connector,
              region: o.region,
              timeoutSeconds,
              pollIntervalSeconds: o.pollIntervalSeconds ?? CHECK_DEFAULTS.pollIntervalSeconds,
              ...(o.requestTimeoutSeconds ? { requestTimeoutSeconds: o.requestTimeoutSeconds } : {}),
              ...(o.kafkaConnectEndpoint ? { endpoint: o.kafkaConnectEndpoint } : {}),
              ...(o.profile ? { profile: o.profile } : {}),
              ...(o.expectedConfiguration ? { expectedConfiguration: o.expectedConfiguration } : {}),
              ...(o.expectedConfigurationSource ? { expectedConfigurationSource: o.expectedConfigurationSource } : {}),
              ...(o.logGroupName ? { logGroupName: o.logGroupName } : {}),
              ...(o.connectorUrn ? { connectorUrn: o.connectorUrn } : {}),
              ...(o.onProgress ? { onProgress: o.onProgress } : {}),
          })
        : null;
    const left = timeoutSeconds - (Date.now() - startedAt) / 1000;
    if (left < 1) {
        throw new VerificationError(
            "timeout",
            `timed out after ${timeoutSeconds} s: the connector check took the whole time, so the data under s3://${o.bucket}/${o.prefix} was not checked. Raise the time-out (msk-s3-sink:verifyTimeoutSeconds or --timeout).`,
        );
    }
    const writtenAfter = connector ? configurationTookEffect(connector) : undefined;
    const fresh: FreshRule | undefined = o.freshData ? (writtenAfter ? { writtenAfter } : {}) : undefined;
    const data = await verifySink({ ...o, timeoutSeconds: left, ...(fresh ? { fresh } : {}) });
    return { connector, data };
}
