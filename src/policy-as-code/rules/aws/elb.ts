/** Load balancers: plain HTTP listeners. */
import { get, possible, UNKNOWN } from '../../model.js';
import type { Doc, Hit, MapNode, Resource } from '../../types.js';
import { alwaysEquals, mapItems, mayEqual, stringsAt, uniqueHits } from '../aws-helpers.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/** The names a listener gives its protocol and default actions, per format. */
interface ListenerKeys {
  protocol: string;
  actions: string;
  type: string;
  redirect: string;
  fix: string;
}

const CFN_LISTENER: ListenerKeys = {
  protocol: 'Protocol',
  actions: 'DefaultActions',
  type: 'Type',
  redirect: 'RedirectConfig',
  fix: 'use HTTPS or redirect',
};
const TF_LISTENER: ListenerKeys = {
  protocol: 'protocol',
  actions: 'default_action',
  type: 'type',
  redirect: 'redirect',
  fix: 'use protocol = "HTTPS" or a default_action that redirects',
};

/** True when the action certainly redirects to HTTPS (in every branch it may take). */
function redirectsToHttps(action: MapNode, doc: Doc, keys: ListenerKeys): boolean {
  if (!alwaysEquals(get(action, keys.type), doc, 'redirect')) return false;
  const configs = possible(get(action, keys.redirect), doc);
  return configs.every(
    (c) => c !== UNKNOWN && c !== undefined && alwaysEquals(get(c, keys.protocol), doc, 'HTTPS'),
  );
}

/**
 * An ALB/NLB listener that may serve HTTP without every default action redirecting to HTTPS.
 * A listener without a protocol is not reported: an ALB would default to HTTP, an NLB to none.
 */
function httpListener(res: Resource, doc: Doc, keys: ListenerKeys): Hit | undefined {
  const protocol = get(res.body, keys.protocol);
  if (!mayEqual(protocol, doc, 'HTTP')) return undefined;
  // Every default action must send clients to HTTPS.
  const actions = mapItems(get(res.body, keys.actions), doc);
  const redirects = actions.length > 0 && actions.every((a) => redirectsToHttps(a, doc, keys));
  if (redirects) return undefined;
  return hit(
    protocol?.pos ?? res.pos,
    `Listener ${res.name} serves HTTP without redirecting to HTTPS: ${keys.fix}.`,
  );
}

/** Classic load balancer listeners (`Listeners[].Protocol`, `listener { lb_protocol }`) on HTTP. */
function classicHttpListeners(res: Resource, doc: Doc, listeners: string, protocol: string): Hit[] {
  const hits: Hit[] = [];
  for (const listener of mapItems(get(res.body, listeners), doc)) {
    for (const p of stringsAt(get(listener, protocol), doc)) {
      if (p.value.trim().toUpperCase() === 'HTTP') {
        hits.push(
          hit(p.pos, `Load balancer ${res.name} has an HTTP listener: use HTTPS (or SSL) listeners.`),
        );
      }
    }
  }
  return uniqueHits(hits);
}

export const elbHttpListener = resourceRule(
  {
    id: 'elb-http-listener',
    title: 'Load balancer listener serves plain HTTP',
    severity: 'medium',
    description:
      'A listener that serves HTTP instead of redirecting to HTTPS sends requests, cookies and tokens unencrypted over the network, where they can be read or altered.',
    fix: 'Serve HTTPS (`Protocol: HTTPS` with a certificate) and make the HTTP listener a redirect: `DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}}]` (CloudFormation) or `default_action { type = "redirect" redirect { protocol = "HTTPS" … } }` on `aws_lb_listener` (Terraform). Classic load balancers: use `HTTPS`/`SSL` listeners (`lb_protocol` of `aws_elb` listeners in Terraform), or move to an Application Load Balancer.',
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
        check: (res, doc) => httpListener(res, doc, CFN_LISTENER),
      },
      {
        types: ['AWS::ElasticLoadBalancing::LoadBalancer'],
        check: (res, doc) => classicHttpListeners(res, doc, 'Listeners', 'Protocol'),
      },
    ],
    terraform: [
      tf(['aws_lb_listener', 'aws_alb_listener'], (res, doc) => httpListener(res, doc, TF_LISTENER)),
      tf(['aws_elb'], (res, doc) => classicHttpListeners(res, doc, 'listener', 'lb_protocol')),
    ],
  },
);

export const ELB_RULES = [elbHttpListener];
