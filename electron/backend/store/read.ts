/** Read a project file into plain data (opens, snapshots, closes): the input of every analysis, export and report. */
import { ProjectStore } from './index';
import type { ProjectData } from '../../../core/model/project';

export function readProject(path: string): ProjectData {
  return readProjectDescribed(path).data;
}

/** The project's data and its description (shown as the data note on exported maps). */
export function readProjectDescribed(path: string): { data: ProjectData; description: string | null } {
  const store = ProjectStore.open(path);
  try {
    return { data: store.snapshot(), description: store.description() };
  } finally {
    store.close();
  }
}
