/** `tsx tests/e2e/make-fixture.ts OUT.gpkg`: writes the small e2e fixture project. */
import { writeFixtureProject } from './fixture';

const out = process.argv[2];
if (!out) {
  console.error('usage: tsx tests/e2e/make-fixture.ts OUT.gpkg');
  process.exit(2);
}
writeFixtureProject(out);
console.log(out);
