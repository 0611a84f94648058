/** Whether the wizard is open, and files dropped on the map waiting for it. */
import { create } from 'zustand';

interface ImportUi {
  open: boolean;
  dropped: File[] | null;
  show(files?: File[]): void;
  hide(): void;
  takeDropped(): File[] | null;
}

export const useImportUi = create<ImportUi>()((set, get) => ({
  open: false,
  dropped: null,
  show: (files) => set({ open: true, ...(files?.length ? { dropped: files } : {}) }),
  hide: () => set({ open: false, dropped: null }),
  takeDropped: () => {
    const d = get().dropped;
    if (d) set({ dropped: null });
    return d;
  },
}));

/** Bytes of the picked files, base64 the way the contract carries them. */
export async function readFiles(files: readonly File[]): Promise<{ name: string; base64: string }[]> {
  return Promise.all(
    files.map(
      (f) =>
        new Promise<{ name: string; base64: string }>((ok, fail) => {
          const r = new FileReader();
          r.onload = () => ok({ name: f.name, base64: String(r.result).replace(/^data:[^,]*,/, '') });
          r.onerror = () => fail(r.error ?? new Error(`cannot read ${f.name}`));
          r.readAsDataURL(f);
        }),
    ),
  );
}
