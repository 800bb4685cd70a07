/**
 * Keeping the connector in the state the stack asks for (`connectorState`), as `pulumi up` applies it: wait
 * for any operation in progress and any transitional state to end, then pause a RUNNING connector that
 * should be paused, resume a PAUSED one that should run, and wait for that to complete. A connector already
 * in the asked state is left alone; FAILED or DELETING is an error naming the state and what to do.
 * Also the check that a configuration or capacity change does not reach a paused connector.
 */
import { callKafkaConnect, formatSeconds, KafkaConnectContext, pollKafkaConnect, whereToLook } from "../verification";
import { seeConnector } from "./context";
import { OperateError } from "./errors";
import { runLifecycle } from "./lifecycle";
import { ConnectorSeen, isInProgress } from "./refusals";

export type DesiredState = "running" | "paused";

const SETTLED = ["RUNNING", "PAUSED", "FAILED", "DELETING"];

/** Settled: no operation in progress and a state that is not on its way to another. */
function settled(c: ConnectorSeen): boolean {
    return SETTLED.includes(c.state) && !c.operations.some((op) => isInProgress(op.state));
}

/** The desired state as the connector states it: running → RUNNING, paused → PAUSED. */
export function stateOf(live: string): DesiredState | string {
    return live === "RUNNING" ? "running" : live === "PAUSED" || live === "PAUSING" ? "paused" : live.toLowerCase();
}

/** The connector, with each operation the list shows in progress described again (the list may lag behind). */
async function freshlySeen(api: KafkaConnectContext, arn: string): Promise<ConnectorSeen> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DescribeConnectorOperationCommand } = require("@aws-sdk/client-kafkaconnect") as typeof import("@aws-sdk/client-kafkaconnect");
    const { seen } = await seeConnector(api, arn);
    const operations = [];
    for (const op of seen.operations) {
        if (!isInProgress(op.state)) {
            operations.push(op);
            continue;
        }
        const d = await callKafkaConnect(api, { action: "DescribeConnectorOperation", resource: op.arn }, (abortSignal) =>
            api.client.send(new DescribeConnectorOperationCommand({ connectorOperationArn: op.arn }), { abortSignal }),
        );
        operations.push({ ...op, state: d.connectorOperationState ?? op.state });
    }
    return { ...seen, operations };
}

export interface AppliedState {
    /** What the connector is now, as the setting says it (running, paused). */
    readonly state: DesiredState;
    /** The operation that changed it, when one was needed. */
    readonly operationArn?: string;
}

export async function applyDesiredState(api: KafkaConnectContext, arn: string, desired: DesiredState): Promise<AppliedState> {
    const { seen, ref } = await seeConnector(api, arn);
    const calm = settled(seen)
        ? seen
        : await pollKafkaConnect(api, {
              observe: async (onDeadline) => {
                  try {
                      return await freshlySeen(api, arn);
                  } catch (err) {
                      // A look the deadline cut short: say what was last seen, not that the API did not answer.
                      throw (Date.now() >= api.deadline ? onDeadline(undefined) : undefined) ?? err;
                  }
              },
              settled,
              timedOut: (c) =>
                  new OperateError(
                      "operation-timeout",
                      `connector ${c.name} was still ${c.state}${c.operations.some((o) => isInProgress(o.state)) ? " with an operation in progress" : ""} after the ${api.timeoutSeconds} s deadline, so connectorState "${desired}" was not applied. Run \`pulumi up\` again once \`npm run connector -- status --connector ${arn}\` shows it settled. ${whereToLook(ref)}`,
                      { connectorArn: arn, connectorName: c.name, state: c.state },
                  ),
              waiting: (c, look, next) => `connector ${c.name} is ${c.state} (look ${look}); next look in ${formatSeconds(next)}`,
          });
    if (calm.state === "FAILED" || calm.state === "DELETING") {
        throw new OperateError(
            "refused",
            `connector ${calm.name} is ${calm.state}: connectorState "${desired}" cannot be applied to it. ${calm.state === "FAILED" ? 'A FAILED connector stays failed; find the cause in its logs and replace it (see "When the connector goes FAILED"). ' : ""}${whereToLook(ref)}`,
            { connectorArn: arn, connectorName: calm.name, state: calm.state },
        );
    }
    if (stateOf(calm.state) === desired) return { state: desired };
    const done = await runLifecycle(api, arn, { action: desired === "paused" ? "pause" : "resume" });
    return { state: desired, operationArn: done.operationArn };
}

/**
 * The refusal for a configuration or capacity change that would reach a paused connector: MSK Connect
 * updates a PAUSED connector only with `skipHealthValidation` (UpdateConnector in the MSK Connect API reference), which `@pulumi/aws` does not
 * offer, so the update would fail halfway through `pulumi up`.
 */
export function pausedChangeRefusal(connectorName: string, why: string): string {
    return (
        `connector ${connectorName} ${why}, and this update changes its configuration or capacity. MSK Connect updates a paused ` +
        "connector only with skipHealthValidation, which the AWS provider does not offer, so the update would fail. " +
        "Resume it first: set msk-s3-sink:connectorState to running and run `pulumi up` with the configuration and capacity " +
        `unchanged (or \`npm run connector -- resume --connector ${connectorName}\`), then make the change; pause it again afterwards if you want.`
    );
}
