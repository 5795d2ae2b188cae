/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_STOCKROOM_URL?: string;
}
