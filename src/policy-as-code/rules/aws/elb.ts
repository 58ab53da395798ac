/** Load balancers: plain HTTP listeners. */
import { get, possible, UNKNOWN } from '../../model.js';
import type { Doc, Hit, MapNode } from '../../types.js';
import { alwaysEquals, mapItems, mayEqual, stringsAt, uniqueHits } from '../aws-helpers.js';
import { hit, resourceRule } from '../define.js';

/** True when the action certainly redirects to HTTPS (in every branch it may take). */
function redirectsToHttps(action: MapNode, doc: Doc): boolean {
  if (!alwaysEquals(get(action, 'Type'), doc, 'redirect')) return false;
  const configs = possible(get(action, 'RedirectConfig'), doc);
  return configs.every(
    (c) => c !== UNKNOWN && c !== undefined && alwaysEquals(get(c, 'Protocol'), doc, 'HTTPS'),
  );
}

export const elbHttpListener = resourceRule(
  {
    id: 'elb-http-listener',
    title: 'Load balancer listener serves plain HTTP',
    severity: 'medium',
    description:
      'A listener that serves HTTP instead of redirecting to HTTPS sends requests, cookies and tokens unencrypted over the network, where they can be read or altered.',
    fix: 'Serve HTTPS (`Protocol: HTTPS` with a certificate) and make the HTTP listener a redirect: `DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}}]` (CloudFormation) or `default_action { type = "redirect" redirect { protocol = "HTTPS" … } }` on `aws_lb_listener` (Terraform). Classic load balancers: use `HTTPS`/`SSL` listeners, or move to an Application Load Balancer.',
    refs: {
      cfn_nag: ['W78'],
      checkov: ['CKV_AWS_2'],
      kics: [
        '275a3217-ca37-40c1-a6cf-bb57d245ab32',
        '80908a75-586b-4c61-ab04-490f4f4525b8',
        'de7f5e83-da88-4046-871f-ea18504b1d43',
      ],
    },
  },
  {
    cloudformation: [
      {
        types: ['AWS::ElasticLoadBalancingV2::Listener'],
        check(res, doc) {
          const protocol = get(res.body, 'Protocol');
          if (!mayEqual(protocol, doc, 'HTTP')) return;
          // Every default action must send clients to HTTPS.
          const actions = mapItems(get(res.body, 'DefaultActions'), doc);
          const redirects = actions.length > 0 && actions.every((a) => redirectsToHttps(a, doc));
          if (!redirects) {
            return hit(
              protocol?.pos ?? res.pos,
              `Listener ${res.name} serves HTTP without redirecting to HTTPS: use HTTPS or redirect.`,
            );
          }
        },
      },
      {
        types: ['AWS::ElasticLoadBalancing::LoadBalancer'],
        check(res, doc) {
          const hits: Hit[] = [];
          for (const listener of mapItems(get(res.body, 'Listeners'), doc)) {
            for (const p of stringsAt(get(listener, 'Protocol'), doc)) {
              if (p.value.trim().toUpperCase() === 'HTTP') {
                hits.push(
                  hit(p.pos, `Load balancer ${res.name} has an HTTP listener: use HTTPS (or SSL) listeners.`),
                );
              }
            }
          }
          return uniqueHits(hits);
        },
      },
    ],
  },
);

export const ELB_RULES = [elbHttpListener];
