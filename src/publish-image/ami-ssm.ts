/**
 * The AMI id written to an SSM parameter of data type aws:ec2:image, then read back. Parameter
 * Store checks such a value asynchronously: PutParameter succeeds at once, and the new value
 * shows (or never shows, when rejected) a moment later, hence a short, bounded read-back. A
 * parameter's data type cannot be changed to or from aws:ec2:image, so an existing parameter of
 * another data type fails the region before anything is written.
 */
import { GetParameterCommand, PutParameterCommand, type Parameter } from '@aws-sdk/client-ssm';
import { UserError, wrapError } from '../core/errors.js';
import { errorName, type AmiContext } from './ami-context.js';

/** How many reads confirm a write, and the pause before read n + 1 (n × this). */
export const READ_BACK_TRIES = 6;
export const READ_BACK_STEP_MS = 2000;
const IMAGE_DATA_TYPE = 'aws:ec2:image';

async function readParameter(ctx: AmiContext, region: string, name: string): Promise<Parameter | undefined> {
  try {
    const answer = await ctx.call(`${region}: read ${name}`, () =>
      ctx.ssm(region).send(new GetParameterCommand({ Name: name })),
    );
    return answer.Parameter;
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') return undefined;
    throw wrapError(`read the SSM parameter ${name} in ${region}`, error);
  }
}

/** Puts `imageId` into the parameter unless it already holds it; returns the version that holds it. */
export async function writeImageParameter(
  ctx: AmiContext,
  region: string,
  name: string,
  imageId: string,
): Promise<number | undefined> {
  const current = await readParameter(ctx, region, name);
  // GetParameter names the data type of every parameter; one made before data types existed is text.
  const dataType = current ? (current.DataType ?? 'text') : undefined;
  if (dataType !== undefined && dataType !== IMAGE_DATA_TYPE) {
    throw new UserError(
      `The SSM parameter ${name} in ${region} already exists with data type ${dataType}, and Parameter Store cannot change a parameter to or from ${IMAGE_DATA_TYPE}: delete it (aws ssm delete-parameter --region ${region} --name ${name}) so that a re-run creates it as ${IMAGE_DATA_TYPE}, or set ssm-parameter to another name.`,
    );
  }
  if (current?.Value === imageId) {
    ctx.log(`${region}: ${name} already holds ${imageId} (version ${current.Version})`);
    return current.Version;
  }
  let version: number | undefined;
  try {
    const put = await ctx.call(`${region}: write ${name}`, () =>
      ctx.ssm(region).send(
        new PutParameterCommand({
          Name: name,
          Value: imageId,
          Type: 'String',
          DataType: IMAGE_DATA_TYPE,
          Overwrite: true,
        }),
      ),
    );
    version = put.Version;
  } catch (error) {
    throw wrapError(`write ${imageId} to the SSM parameter ${name} in ${region}`, error);
  }
  for (let read = 1; ; read++) {
    const back = await readParameter(ctx, region, name);
    if (back?.Value === imageId && (version === undefined || (back.Version ?? 0) >= version)) {
      ctx.log(`${region}: ${name} = ${imageId} (version ${back.Version})`);
      return back.Version ?? version;
    }
    if (read >= READ_BACK_TRIES) {
      throw new Error(
        `The SSM parameter ${name} in ${region} still held ${back?.Value ?? 'nothing'} instead of ${imageId} after ${read} reads: Parameter Store checks aws:ec2:image values asynchronously and has not accepted this one (the AMI must be available in ${region} to this account).`,
      );
    }
    await ctx.sleep(READ_BACK_STEP_MS * read);
  }
}
