/** `tsx tests/e2e/make-scale.ts OUT.gpkg N`: writes a generated grid network of N pipe segments (the scale test's project). */
import { ProjectStore } from '../../electron/backend/store/index';
import { gridProject } from '../bench/grid';

const [out, n] = [process.argv[2], Number(process.argv[3])];
if (!out || !(n > 0)) {
  console.error('usage: tsx tests/e2e/make-scale.ts OUT.gpkg N');
  process.exit(2);
}
ProjectStore.createFromData(out, gridProject(n)).close();
console.log(out);
