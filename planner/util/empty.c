/* empty.c - keeps a module library non-empty before its sources exist. */
typedef int tsk_empty_translation_unit;
