/*
 * bulk_insert.c: smup._insert_frozen(target, query), the rows of a query written into a table
 * the way COPY ... FREEZE writes a file's: in batches (table_multi_insert, one WAL record a
 * page, not a row), and, when the table was created or truncated in the current
 * subtransaction, frozen, with its pages marked all-visible. A rebuild's millions of stored
 * values are then read by index-only scans (a card, the group distributions) without a visit
 * to the heap, and the first readers after it have no hint bits to set. INSERT ... SELECT
 * offers neither.
 *
 * What COPY FREEZE checks and this does not: that no snapshot older than the insert is held
 * by the session. A truncated table cannot be open in an older query of the session (TRUNCATE
 * refuses), and the query run here may not read the target (checked below), so no reader in
 * the session can see the new rows earlier than it would have.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "tcop/dest.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/rel.h"
#include "utils/relcache.h"

#define SMUP_INSERT_BATCH 1000

typedef struct FrozenInsert
{
	DestReceiver pub;			/* first: the executor sees a DestReceiver */
	Relation	rel;
	TupleTableSlot *slots[SMUP_INSERT_BATCH];
	int			used;
	int			options;		/* TABLE_INSERT_* */
	CommandId	cid;
	BulkInsertState bistate;
	MemoryContext batch_cxt;	/* what a batch's insert allocates, reset after it */
	uint64		rows;
} FrozenInsert;

static void
frozen_insert_flush(FrozenInsert *self)
{
	MemoryContext old;

	if (self->used == 0)
		return;
	old = MemoryContextSwitchTo(self->batch_cxt);
	table_multi_insert(self->rel, self->slots, self->used, self->cid, self->options, self->bistate);
	MemoryContextSwitchTo(old);
	MemoryContextReset(self->batch_cxt);
	for (int i = 0; i < self->used; i++)
		ExecClearTuple(self->slots[i]);
	self->rows += self->used;
	self->used = 0;
	CHECK_FOR_INTERRUPTS();
}

static bool
frozen_insert_receive(TupleTableSlot *slot, DestReceiver *dest)
{
	FrozenInsert *self = (FrozenInsert *) dest;
	TupleDesc	target = RelationGetDescr(self->rel);
	TupleTableSlot *row = self->slots[self->used];
	int			from = 0;

	slot_getallattrs(slot);
	ExecClearTuple(row);
	for (int i = 0; i < target->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(target, i);

		if (att->attisdropped)
		{
			row->tts_values[i] = (Datum) 0;
			row->tts_isnull[i] = true;
			continue;
		}
		row->tts_values[i] = slot->tts_values[from];
		row->tts_isnull[i] = slot->tts_isnull[from];
		from++;
		if (row->tts_isnull[i] && att->attnotnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
							NameStr(att->attname), RelationGetRelationName(self->rel))));
	}
	ExecStoreVirtualTuple(row);
	ExecMaterializeSlot(row);	/* the query's slot is reused for its next row */
	if (++self->used == SMUP_INSERT_BATCH)
		frozen_insert_flush(self);
	return true;
}

static void
frozen_insert_startup(DestReceiver *dest, int operation, TupleDesc typeinfo)
{
}

static void
frozen_insert_shutdown(DestReceiver *dest)
{
}

static void
frozen_insert_destroy(DestReceiver *dest)
{
}

/* Does the query (its subqueries and the views it reads, rewritten) read the relation? */
static bool
reads_relation_walker(Node *node, Oid *relid)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		return rte->rtekind == RTE_RELATION && rte->relid == *relid;
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, reads_relation_walker, relid, QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, reads_relation_walker, relid);
}

PG_FUNCTION_INFO_V1(smup_insert_frozen);

Datum
smup_insert_frozen(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Relation	rel;
	TupleDesc	target;
	SPIPlanPtr	plan;
	CachedPlanSource *source;
	SPIExecuteOptions options;
	FrozenInsert self;
	int			columns = 0;
	int			rc;
	ListCell   *lc;
	AclResult	acl;
	MemoryContext caller = CurrentMemoryContext;	/* SPI_connect switches to its own, freed by SPI_finish */
	List	   *indexes;

	rel = table_open(relid, RowExclusiveLock);
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, get_relkind_objtype(rel->rd_rel->relkind), RelationGetRelationName(rel));
	/* what a batch insert would skip: written by INSERT, never bypassed here */
	indexes = RelationGetIndexList(rel);
	if (rel->rd_rel->relkind != RELKIND_RELATION || indexes != NIL || rel->trigdesc != NULL
		|| (rel->rd_att->constr != NULL && (rel->rd_att->constr->num_check > 0 || rel->rd_att->constr->has_generated_stored))
		|| rel->rd_rel->relrowsecurity)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("smup._insert_frozen writes only a plain table without indexes, triggers, check constraints, generated columns or row security, not \"%s\"",
						RelationGetRelationName(rel))));
	list_free(indexes);
	target = RelationGetDescr(rel);
	for (int i = 0; i < target->natts; i++)
		if (!TupleDescAttr(target, i)->attisdropped)
			columns++;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(query, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "smup._insert_frozen: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (list_length(SPI_plan_get_plan_sources(plan)) != 1)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("smup._insert_frozen runs one SELECT, not several statements")));
	source = (CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan));
	if (source->resultDesc == NULL || source->commandTag != CMDTAG_SELECT)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("smup._insert_frozen runs a SELECT")));
	/* frozen rows are visible to every snapshot, the query's own too: it must not read them */
	foreach(lc, source->query_list)
		if (reads_relation_walker((Node *) lfirst(lc), &relid))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("smup._insert_frozen: the query reads \"%s\", the table it writes", RelationGetRelationName(rel))));
	if (source->resultDesc->natts != columns)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("smup._insert_frozen: the query returns %d columns, \"%s\" has %d",
						source->resultDesc->natts, RelationGetRelationName(rel), columns)));
	for (int i = 0, from = 0; i < target->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(target, i);
		Oid			given;

		if (att->attisdropped)
			continue;
		given = TupleDescAttr(source->resultDesc, from)->atttypid;
		/* by name too: two float8 columns swapped would otherwise pass */
		if (strcmp(NameStr(TupleDescAttr(source->resultDesc, from)->attname), NameStr(att->attname)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("smup._insert_frozen: the query's column %d is \"%s\", column %d of \"%s\" is \"%s\"",
							from + 1, NameStr(TupleDescAttr(source->resultDesc, from)->attname), from + 1,
							RelationGetRelationName(rel), NameStr(att->attname))));
		/* nothing is coerced or checked per value: a length limit or a domain would be bypassed */
		if (att->atttypmod >= 0 || get_typtype(att->atttypid) == TYPTYPE_DOMAIN)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("smup._insert_frozen: column \"%s\" of \"%s\" is %s, a type with a modifier or a domain",
							NameStr(att->attname), RelationGetRelationName(rel), format_type_with_typemod(att->atttypid, att->atttypmod))));
		if (given != att->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("smup._insert_frozen: the query's column %d is %s, column \"%s\" of \"%s\" is %s",
							from + 1, format_type_be(given), NameStr(att->attname), RelationGetRelationName(rel),
							format_type_be(att->atttypid))));
		from++;
	}

	memset(&self, 0, sizeof self);
	/* the slots outlive the query's executor and SPI: in the caller's memory */
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		for (int i = 0; i < SMUP_INSERT_BATCH; i++)
			self.slots[i] = table_slot_create(rel, NULL);
		self.batch_cxt = AllocSetContextCreate(caller, "smup._insert_frozen batch", ALLOCSET_DEFAULT_SIZES);
		MemoryContextSwitchTo(spi);
	}
	self.pub.receiveSlot = frozen_insert_receive;
	self.pub.rStartup = frozen_insert_startup;
	self.pub.rShutdown = frozen_insert_shutdown;
	self.pub.rDestroy = frozen_insert_destroy;
	self.pub.mydest = DestNone;
	self.rel = rel;
	self.cid = GetCurrentCommandId(true);
	self.bistate = GetBulkInsertState();
	/* as COPY FREEZE: only a table this subtransaction created or truncated (an abort takes it all back) */
	if (rel->rd_createSubid == GetCurrentSubTransactionId()
		|| rel->rd_newRelfilenodeSubid == GetCurrentSubTransactionId())
		self.options = TABLE_INSERT_FROZEN;

	memset(&options, 0, sizeof options);
	options.dest = (DestReceiver *) &self;
	rc = SPI_execute_plan_extended(plan, &options);
	/* (a SELECT whose rows go to a receiver other than SPI's reports itself as a utility) */
	if (rc != SPI_OK_SELECT && rc != SPI_OK_UTILITY)
		elog(ERROR, "smup._insert_frozen: SPI_execute_plan_extended returned %s", SPI_result_code_string(rc));
	frozen_insert_flush(&self);
	FreeBulkInsertState(self.bistate);
	table_finish_bulk_insert(rel, self.options);
	SPI_finish();
	for (int i = 0; i < SMUP_INSERT_BATCH; i++)
		ExecDropSingleTupleTableSlot(self.slots[i]);
	MemoryContextDelete(self.batch_cxt);
	table_close(rel, NoLock);
	PG_RETURN_INT64((int64) self.rows);
}
