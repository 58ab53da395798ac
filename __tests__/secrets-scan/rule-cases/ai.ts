/** True and false examples of the AI API keys (`src/secrets-scan/rules/ai.ts`). */
import { HEX, LOWER, UPPER, embed, synth, tok, type RuleCases } from './synth.js';

const LETTERS = UPPER + LOWER;

export const AI_CASES: Record<string, RuleCases> = {
  'huggingface-token': {
    truths: [
      embed('HF_TOKEN=@@', tok('hf_', synth('hf-1', 34, LETTERS))),
      embed('huggingface-cli login --token @@', tok('hf_', synth('hf-2', 34, LETTERS))),
    ],
    falses: [
      tok('hf_', synth('hf-3', 33, LETTERS)),
      tok('hf_', synth('hf-4', 34)),
      tok('hf_', 'abcdefghijklmnopqrstuvwxyzabcdefgh'),
    ],
  },
  'huggingface-org-token': {
    truths: [
      embed('HUGGINGFACE_ORG_TOKEN=@@', tok('api_org_', synth('hf-org-1', 34, LETTERS))),
      embed('token: "@@"', tok('api_org_', synth('hf-org-2', 34, LETTERS))),
    ],
    falses: [
      tok('api_org_', synth('hf-org-3', 33, LETTERS)),
      tok('api_orgs_', synth('hf-org-4', 34, LETTERS)),
    ],
  },
  'replicate-api-token': {
    truths: [
      embed('REPLICATE_API_TOKEN=@@', tok('r8_', synth('r8-1', 37))),
      embed('replicate.Client(api_token="@@")', tok('r8_', synth('r8-2', 37))),
    ],
    falses: [tok('r8_', synth('r8-3', 36)), tok('r9_', synth('r8-4', 37))],
  },
  'groq-api-key': {
    truths: [
      embed('GROQ_API_KEY=@@', tok('gsk_', synth('groq-1', 52))),
      embed('Groq(api_key="@@")', tok('gsk_', synth('groq-2', 52))),
    ],
    falses: [tok('gsk_', synth('groq-3', 51)), tok('gsk-', synth('groq-4', 52))],
  },
  'perplexity-api-key': {
    truths: [
      embed('PERPLEXITY_API_KEY=@@', tok('pplx-', synth('pplx-1', 48))),
      embed('Authorization: Bearer @@', tok('pplx-', synth('pplx-2', 48))),
    ],
    falses: [tok('pplx-', synth('pplx-3', 47)), tok('pplx_', synth('pplx-4', 48))],
  },
  'xai-api-key': {
    truths: [
      embed('XAI_API_KEY=@@', tok('xai-', synth('xai-1', 80))),
      embed('Authorization: Bearer @@', tok('xai-', synth('xai-2', 80))),
    ],
    falses: [tok('xai-', synth('xai-3', 79)), tok('xai_', synth('xai-4', 80))],
  },
  'langsmith-api-key': {
    truths: [
      embed('LANGSMITH_API_KEY=@@', `lsv2_pt_${synth('ls-1', 32, HEX)}_${synth('ls-2', 10, HEX)}`),
      embed('LANGCHAIN_API_KEY="@@"', `lsv2_sk_${synth('ls-3', 32, HEX)}_${synth('ls-4', 10, HEX)}`),
    ],
    falses: [
      `lsv2_xx_${synth('ls-5', 32, HEX)}_${synth('ls-6', 10, HEX)}`,
      `lsv2_pt_${synth('ls-7', 32, HEX)}_${synth('ls-8', 9, HEX)}`,
    ],
  },
  'openrouter-api-key': {
    truths: [
      embed('OPENROUTER_API_KEY=@@', tok('sk-or-v1-', synth('or-1', 64, HEX))),
      embed('openai.api_key = "@@"', tok('sk-or-v1-', synth('or-2', 64, HEX))),
    ],
    falses: [tok('sk-or-v1-', synth('or-3', 63, HEX)), tok('sk-or-v2-', synth('or-4', 64, HEX))],
  },
};
