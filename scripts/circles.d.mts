/** Types of scripts/circles.mjs for the tests that call it. */
export interface Circle {
  /** Every file of the strongly connected component. */
  files: string[];
  /** One circle through it, first file repeated at the end. */
  circle: string[];
}
export function sourceFiles(root?: string, folders?: string[]): string[];
export function importGraph(files: string[]): Map<string, string[]>;
export function circles(graph: Map<string, string[]>): Circle[];
