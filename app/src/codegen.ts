import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse, printSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Types the example client's operations (examples/client) from schema/public.graphql, as
 * graphql-codegen's CLI would from the same codegen.json: the same plugins through
 * @graphql-codegen/core, without the CLI and its ~150 further packages in this repository.
 * Only what the example uses is read: `schema` and `documents` as file names (no globs or
 * URLs), and per output its plugins and config.
 */
export const CLIENT_EXAMPLE_DIR = path.resolve(__dirname, '../../examples/client');

interface CodegenJson {
  schema: string;
  documents: string[];
  generates: Record<string, { plugins: (keyof typeof PLUGINS)[]; config?: Record<string, unknown> }>;
}

const PLUGINS = { 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode };

/** Every output of `<dir>/codegen.json`: its absolute path and what codegen writes there. */
export async function generateClientTypes(dir = CLIENT_EXAMPLE_DIR): Promise<{ file: string; content: string }[]> {
  const config = JSON.parse(readFileSync(path.join(dir, 'codegen.json'), 'utf8')) as CodegenJson;
  const schemaAst = buildSchema(readFileSync(path.resolve(dir, config.schema), 'utf8'));
  const documents = config.documents.map((file) => ({ location: file, document: parse(readFileSync(path.resolve(dir, file), 'utf8')) }));
  const outputs = [];
  for (const [file, output] of Object.entries(config.generates)) {
    const content = await codegen({
      filename: file,
      schema: parse(printSchema(schemaAst)),
      schemaAst,
      documents, // validated against the schema: an unknown field fails here
      plugins: output.plugins.map((name) => ({ [name]: {} })),
      pluginMap: PLUGINS,
      config: output.config ?? {},
    });
    outputs.push({ file: path.resolve(dir, file), content });
  }
  return outputs;
}

if (require.main === module) {
  generateClientTypes()
    .then((outputs) => {
      for (const { file, content } of outputs) {
        writeFileSync(file, content);
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    })
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
