import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadSpecs } from './specs.js';

/**
 * One ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) holding the nine vendor documents as
 * they are; a schema is compiled on first use by its JSON Pointer inside its document. Choices:
 * - `strict: false`: the documents carry OpenAPI keywords ajv does not know (`example`,
 *   `discriminator`, `xml`); they are annotations and ignored;
 * - `nullable: true` (an OpenAPI 3.0 word some 3.1 vendor schemas still use) is honoured: the
 *   vendor means "null is allowed", refusing null there would report the vendor's intent as an error.
 *   ajv reads it next to `type`; where the vendor wrote it next to a `$ref` only, the validator's copy
 *   of the document says `anyOf: [<the schema>, {type: null}]` instead (the files stay unchanged);
 * - formats (`email`, `date-time`, `uuid`, `uri`, …) are checked with ajv-formats; the vendor's own
 *   format names (`timestampMillis`, `uuid or email`) have no published rule and are not checked.
 */
function createAjv() {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateFormats: true,
  });
  addFormats(ajv);
  for (const name of vendorFormats) ajv.addFormat(name, true);
  for (const spec of loadSpecs()) ajv.addSchema(nullableRefs(spec.document), documentId(spec.name));
  return ajv;
}

const vendorFormats = ['timestampMillis', 'uuid or email'];

/** A copy of the document where `nullable: true` without `type` becomes `anyOf [schema, null]`. */
function nullableRefs(node: any): any {
  if (Array.isArray(node)) return node.map(nullableRefs);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = nullableRefs(value);
  if (copy.nullable === true && copy.type === undefined) {
    const { nullable: _, ...schema } = copy;
    return { anyOf: [schema, { type: 'null' }] };
  }
  return copy;
}

const documentId = (spec: string) => `https://mailtrap-kit.test/openapi/${spec}.openapi.yml`;

let plain: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The validator of the schema at `pointer` (`#/components/schemas/Domain`) in one spec document. */
export function schemaValidator(spec: string, pointer: string): ValidateFunction {
  const id = `${documentId(spec)}${pointer}`;
  const known = compiled.get(id);
  if (known) return known;
  plain ??= createAjv();
  const validate = plain.compile({ $ref: id });
  compiled.set(id, validate);
  return validate;
}

/** Validates `data` against the schema at `pointer`; the problems as readable lines (none when valid). */
export function schemaProblems(spec: string, pointer: string, data: unknown, label: string): string[] {
  const validate = schemaValidator(spec, pointer);
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], label);
}

/** ajv's errors as `body/domain/domain_name: must be string` lines, the noisy branch reports folded. */
export function describeErrors(errors: readonly ErrorObject[], label: string): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const where = `${label}${error.instancePath}`;
    if (error.keyword === 'additionalProperties') {
      lines.add(`${where}: unknown property ${JSON.stringify(error.params.additionalProperty)}`);
    } else if (error.keyword === 'enum') {
      lines.add(`${where}: must be one of ${JSON.stringify(error.params.allowedValues)}`);
    } else {
      lines.add(`${where}: ${error.message}`);
    }
  }
  return [...lines];
}
