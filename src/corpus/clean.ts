/**
 * Removes conversion debris from a document exported from Word: bookmark
 * markers, indentation (ASCII, tab and full-width spaces) at line ends, Windows
 * line breaks and runs of blank lines. The result is the stored text that
 * every citation offset refers to.
 */
export function cleanDocumentText(raw: string): string {
  const text = raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\[bookmark: [^\]]*\]/g, '')
    .split('\n')
    .map((line) => line.replace(/^[ \t\u3000]+|[ \t\u3000]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text + '\n';
}
