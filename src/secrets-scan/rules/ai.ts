/**
 * AI and model APIs: Hugging Face, Replicate, Groq, Perplexity, xAI, LangSmith and OpenRouter.
 * (OpenAI and Anthropic are in `saas.ts`; Cohere and Mistral keys have no distinctive format.)
 */
import type { SecretRule } from '../types.js';

export const AI_RULES: readonly SecretRule[] = [
  {
    id: 'huggingface-token',
    title: 'Hugging Face user access token',
    description:
      'A Hugging Face user access token (`hf_`): it reads private models and datasets and, with write ' +
      'access, pushes to them (a poisoned model). Invalidate it at huggingface.co → Settings → Access Tokens.',
    severity: 'high',
    keywords: ['hf_'],
    publicPrefix: true,
    regex: /\b(hf_[A-Za-z]{34})\b/,
    entropy: 4,
  },
  {
    id: 'huggingface-org-token',
    title: 'Hugging Face organization API token',
    description:
      'A legacy Hugging Face organization API token (`api_org_`): it acts for the organization on ' +
      'its models and datasets. Invalidate it in the organization’s settings on huggingface.co.',
    severity: 'high',
    keywords: ['api_org_'],
    publicPrefix: true,
    regex: /\b(api_org_[A-Za-z]{34})\b/,
    entropy: 4,
  },
  {
    id: 'replicate-api-token',
    title: 'Replicate API token',
    description:
      'A Replicate API token (`r8_`): it runs models billed to the account and reads its predictions. ' +
      'Disable it at replicate.com → Account → API tokens.',
    severity: 'high',
    keywords: ['r8_'],
    publicPrefix: true,
    regex: /\b(r8_[A-Za-z0-9]{37})\b/,
    entropy: 3.5,
  },
  {
    id: 'groq-api-key',
    title: 'Groq API key',
    description:
      'A Groq API key (`gsk_`): it runs inference billed to the organization. Delete it at ' +
      'console.groq.com → API Keys.',
    severity: 'high',
    keywords: ['gsk_'],
    publicPrefix: true,
    regex: /\b(gsk_[A-Za-z0-9]{52})\b/,
    entropy: 3.5,
  },
  {
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    description:
      'A Perplexity API key (`pplx-`): it runs queries billed to the account’s credits. Delete it at ' +
      'perplexity.ai → Settings → API.',
    severity: 'high',
    keywords: ['pplx-'],
    publicPrefix: true,
    regex: /\b(pplx-[A-Za-z0-9]{48})\b/,
    entropy: 3.5,
  },
  {
    id: 'xai-api-key',
    title: 'xAI API key',
    description:
      'An xAI (Grok) API key (`xai-`): it runs inference billed to the team. Delete it at ' +
      'console.x.ai → API Keys.',
    severity: 'high',
    keywords: ['xai-'],
    publicPrefix: true,
    regex: /\b(xai-[A-Za-z0-9]{80})\b/,
    entropy: 3.5,
  },
  {
    id: 'langsmith-api-key',
    title: 'LangSmith API key',
    description:
      'A LangSmith personal access token (`lsv2_pt_`) or service key (`lsv2_sk_`): it reads the ' +
      'traces (prompts and outputs) of the workspace and writes new ones. Delete it in LangSmith → ' +
      'Settings → API Keys.',
    severity: 'high',
    keywords: ['lsv2_pt_', 'lsv2_sk_'],
    publicPrefix: true,
    regex: /\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b/,
    entropy: 3,
  },
  {
    id: 'openrouter-api-key',
    title: 'OpenRouter API key',
    description:
      'An OpenRouter API key (`sk-or-v1-`): it spends the account’s credits on any routed model. ' +
      'Delete it at openrouter.ai → Keys.',
    severity: 'high',
    keywords: ['sk-or-v1-'],
    publicPrefix: true,
    regex: /\b(sk-or-v1-[a-f0-9]{64})\b/,
    entropy: 3,
  },
];
