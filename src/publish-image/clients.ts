/**
 * The AWS clients publish-image uses, made with the shared settings (src/core/aws.ts). The SDK is
 * loaded on first use only: it costs about 0.4 s and 70 MB to load, which a push to a registry
 * other than ECR, and every other CLI command, should not pay. Like the registry requests, AWS
 * requests go through the proxy HTTPS_PROXY names unless NO_PROXY exempts the endpoint.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { HttpsProxyAgent } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';
import { clientConfig, partitionOf } from '../core/aws.js';

export interface AwsClients {
  ecr(region: string): ECRClient;
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  s3(region: string): S3Client;
}

/** The client settings for a service's regional endpoint, with the environment's proxy. */
function settings(service: string, region: string, handler: Record<string, unknown>) {
  const base = clientConfig(region);
  const domain = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const proxy = getProxyForUrl(`https://${service}.${region}.${domain}`);
  return {
    ...base,
    requestHandler: {
      ...base.requestHandler,
      ...handler,
      ...(proxy ? { httpsAgent: new HttpsProxyAgent({ proxy, keepAlive: true }) } : {}),
    },
  };
}

/** Loads the SDK once and returns client factories that make one client per service and region. */
export function lazyAwsClients(): () => Promise<AwsClients> {
  let loaded: Promise<AwsClients> | undefined;
  return () => {
    loaded ??= (async () => {
      const [{ ECRClient }, { EC2Client }, { SSMClient }, { S3Client }] = await Promise.all([
        import('@aws-sdk/client-ecr'),
        import('@aws-sdk/client-ec2'),
        import('@aws-sdk/client-ssm'),
        import('@aws-sdk/client-s3'),
      ]);
      const cache = new Map<string, unknown>();
      const get = <T>(kind: string, region: string, make: () => T): T => {
        const key = `${kind} ${region}`;
        if (!cache.has(key)) cache.set(key, make());
        return cache.get(key) as T;
      };
      return {
        ecr: (region) => get('ecr', region, () => new ECRClient(settings('api.ecr', region, {}))),
        ec2: (region) => get('ec2', region, () => new EC2Client(settings('ec2', region, {}))),
        ssm: (region) => get('ssm', region, () => new SSMClient(settings('ssm', region, {}))),
        // An upload part may take longer than a whole API call may: for S3 the limit is on idle
        // time instead. The bucket may be in another region than the one guessed: S3 says where.
        s3: (region) =>
          get(
            's3',
            region,
            () =>
              new S3Client({
                ...settings('s3', region, {
                  requestTimeout: 0,
                  throwOnRequestTimeout: false,
                  socketTimeout: 60_000,
                }),
                followRegionRedirects: true,
              }),
          ),
      };
    })();
    return loaded;
  };
}
