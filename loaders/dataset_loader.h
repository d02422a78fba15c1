/* loaders/dataset_loader.h — reads a data set directory of CSV files
 * (SPEC §2, §12.1) into the in-memory model.
 *
 * Each table of model/dataset_builder.h is the file NAME.csv; its records
 * are read (loaders/table_stream.h), their fields converted to their
 * columns' kinds and handed to the builder, which checks ids, keys and
 * managers (every row of every file, history included).  Business problems
 * (unknown order, rep, customer, ...) are not checked here: they become
 * exception rows in the calculation, which names each table by its file
 * name (QtDataset.source). */
#pragma once

#include <glib.h>

#include "../model/dataset.h"
#include "../model/overlay.h"

G_BEGIN_DECLS

/* Called as soon as one file of the data set is loaded (rows counted,
 * bytes and SHA-256 known), in the order of loading.  The callee may take
 * the file's bytes (leaving file->bytes NULL): the data set does not need
 * them. */
typedef void (*QtFileLoaded) (QtInputFile *file, gpointer data);

typedef struct {
  guint threads;         /* > 1: files are read and split on a thread of their
                          * own while the rows are built (same result) */
  QtFileLoaded loaded;   /* if not NULL, told of each file once loaded: the
                          * input snapshot can be written while the rest loads */
  gpointer loaded_data;
  const QtOverlay *overlay; /* if not NULL, correction overlays applied to the
                            * tables as they load (model/overlay.h) */
  guint tables;          /* the tables to load (QT_TABLE_BIT), 0: those of
                          * a commission run (QT_TABLES_COMMISSION); the
                          * others stay empty and their files are not read.
                          * A row's ids are linked to the rows of the loaded
                          * tables before it (a subset such as reps alone
                          * just leaves links to the others at -1) */
} QtLoadOptions;

/* Loads DIR (`options` NULL: one thread, no callback).  Errors
 * (QT_ERROR_MALFORMED or QT_ERROR_IO) read `DIR/FILE:LINE:COLUMN: message`;
 * a missing directory or required file is `PATH:1:1: ...`.  (transfer full) */
QtDataset *qt_dataset_load_dir (const char *dir, const QtLoadOptions *options, GError **error);

G_END_DECLS
