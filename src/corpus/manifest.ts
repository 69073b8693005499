import { z } from 'zod';

export const documentKinds = ['measures', 'campaign', 'guide'] as const;

const partSchema = z.object({
  /** Name of the part in section paths; empty for the document's main body. */
  title: z.string(),
  /** The heading line(s) that open the part, exactly as the stored text writes them. */
  heading: z.string().min(1),
});

export const manifestEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  file: z.string().min(1),
  title: z.string().min(1),
  shortTitle: z.string().min(1),
  issuer: z.string().nullable(),
  /** ISO date the document states for itself, or null when it states none. */
  published: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  region: z.string().min(1),
  kind: z.enum(documentKinds),
  parts: z.array(partSchema).optional(),
});

export const manifestSchema = z.object({
  documents: z.array(manifestEntrySchema).min(1),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type DocumentPart = z.infer<typeof partSchema>;
