/**
 * Where every riskfn alarm goes: one SNS topic, encrypted with a customer-managed KMS key (rotated
 * yearly) and publish-over-TLS only. The key is customer-managed because CloudWatch alarms cannot
 * publish to a topic encrypted with the AWS-managed `aws/sns` key: its key policy cannot admit the
 * CloudWatch service, this key's policy does. An e-mail subscription is added when the CDK context
 * value `alarmEmail` is set (`npx cdk deploy -c alarmEmail=ops@example.com`); the address must then
 * confirm the subscription from the mail AWS sends.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** CDK context key of the optional e-mail address that receives alarm notifications. */
export const ALARM_EMAIL_CONTEXT = 'alarmEmail';

export class AlarmTopic extends Construct {
  readonly key: Key;
  readonly topic: Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'riskfn: encrypts the alarm notification topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it needs the data key. This is
    // the statement AWS documents for alarms and encrypted topics, kept without conditions (a
    // kms:CallerAccount condition is reported to make alarm notifications fail). Who may publish at all
    // is decided by the topic policy below, which admits only this account's alarms.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'riskfn alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy CDK writes for enforceSSL replaces SNS's default policy, so CloudWatch (a service
    // principal, not an IAM principal of the account) must be admitted explicitly: alarms of this account only.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );

    const email = this.node.tryGetContext(ALARM_EMAIL_CONTEXT) as unknown;
    if (typeof email === 'string' && email !== '') this.topic.addSubscription(new EmailSubscription(email));
  }

  /** Sends `alarm`'s state changes to ALARM to the topic. */
  notify(...alarms: Alarm[]): void {
    const action = new SnsAction(this.topic);
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
