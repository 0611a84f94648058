/** Read a project file into plain data for the analyses (opens, snapshots, closes). */
import { ProjectStore } from '../store/index';
import type { ProjectData } from '../../../core/model/project';

export function readProject(path: string): ProjectData {
  const store = ProjectStore.open(path);
  try {
    return store.snapshot();
  } finally {
    store.close();
  }
}
