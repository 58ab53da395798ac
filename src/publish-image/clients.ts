/**
 * The AWS clients publish-image uses, made with the shared settings (src/core/aws.ts). The SDK is
 * loaded on first use only: it costs about 0.4 s and 70 MB to load, which a push to a registry
 * other than ECR, and every other CLI command, should not pay.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../core/aws.js';

export interface AwsClients {
  ecr(region: string): ECRClient;
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
}

/** Loads the SDK once and returns client factories that make one client per service and region. */
export function lazyAwsClients(): () => Promise<AwsClients> {
  let loaded: Promise<AwsClients> | undefined;
  return () => {
    loaded ??= (async () => {
      const [{ ECRClient }, { EC2Client }, { SSMClient }] = await Promise.all([
        import('@aws-sdk/client-ecr'),
        import('@aws-sdk/client-ec2'),
        import('@aws-sdk/client-ssm'),
      ]);
      const cache = new Map<string, unknown>();
      const get = <T>(kind: string, region: string, make: () => T): T => {
        const key = `${kind} ${region}`;
        if (!cache.has(key)) cache.set(key, make());
        return cache.get(key) as T;
      };
      return {
        ecr: (region) => get('ecr', region, () => new ECRClient(clientConfig(region))),
        ec2: (region) => get('ec2', region, () => new EC2Client(clientConfig(region))),
        ssm: (region) => get('ssm', region, () => new SSMClient(clientConfig(region))),
      };
    })();
    return loaded;
  };
}
