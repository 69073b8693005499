import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function sendError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json(errorBody(code, message), status);
}

/** The first problem zod found, as the Chinese message its schema declares. */
export function validationMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '请求格式不正确。';
  if (issue.code === 'unrecognized_keys') return `不支持的字段：${issue.keys.join('、')}。`;
  return issue.message && /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '请求格式不正确，请检查各字段。';
}
