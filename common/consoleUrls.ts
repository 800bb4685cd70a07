/** AWS console links that messages and outputs point people to. */

/** Console link for a CloudWatch log group (the console escapes '%' as '$25'). */
export function logGroupConsoleUrl(region: string, logGroupName: string): string {
    const escaped = encodeURIComponent(logGroupName).replace(/%/g, "$25");
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${escaped}`;
}

/** Console link for an MSK Connect connector. */
export function connectorConsoleUrl(region: string, connectorArn: string): string {
    return `https://${region}.console.aws.amazon.com/msk/home?region=${region}#/connectors/details?connectorArn=${encodeURIComponent(connectorArn)}`;
}
