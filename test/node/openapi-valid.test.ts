import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openApiDocument } from '../support/openapi-document';

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    const doc = await openApiDocument(createApp());
    const validated = await SwaggerParser.validate(structuredClone(doc) as never);
    expect((validated as { openapi?: string }).openapi).toBe('3.1.0');
  });
});
