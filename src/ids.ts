/** Contract §2: ids are validated before any I/O. */
export const THREAD_ID = /^thread_[A-Za-z0-9_-]{1,64}$/;
export const ASSISTANT_ID = /^asst_[A-Za-z0-9_-]{1,64}$/;
