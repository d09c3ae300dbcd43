/*
 * render_text.c - the plan as text, modelled on Terraform's: the drift
 * section, the symbol legend, one block per resource with old -> new
 * values, and the summary line.
 */
#include "planner/render.h"
#include "planner/render_int.h"
#include "planner/cost_report.h"

#include <stdlib.h>

#define RULE                                                                                                                                                                                                          \
    "─────────────────────────────────────────────────────────────────────" \
    "────────\n"

static const char *symbol(enum tsk_action a)
{
    switch (a) {
    case TSK_CREATE:
        return "  +";
    case TSK_UPDATE:
        return "  ~";
    case TSK_DELETE:
        return "  -";
    case TSK_REPLACE_DC:
        return "-/+";
    case TSK_REPLACE_CD:
        return "+/-";
    case TSK_READ:
        return " <=";
    case TSK_NOOP:
        break;
    }
    return "   ";
}

/* A string as "%s" prints it, without printf (once per line of a plan). */
static void str(struct tsk_buf *b, const char *s)
{
    tsk_buf_adds(b, s ? s : "(null)");
}

void tsk_render__header(struct tsk_rt *r, const char *addr, const char *what)
{
    tsk_buf_adds(r->b, "  ");
    tsk_render__color_on(r, "1");
    tsk_buf_adds(r->b, "# ");
    str(r->b, addr);
    tsk_render__color_off(r);
    tsk_buf_addch(r->b, ' ');
    tsk_buf_adds(r->b, what);
    tsk_buf_addch(r->b, '\n');
}

static void change_header(struct tsk_rt *r, const struct tsk_change *c)
{
    const char *what = "will be read during apply";
    switch (c->action) {
    case TSK_CREATE:
        what = "will be created";
        break;
    case TSK_UPDATE:
        what = "will be updated in-place";
        break;
    case TSK_DELETE:
        what = "will be destroyed";
        break;
    case TSK_REPLACE_DC:
    case TSK_REPLACE_CD:
        what = c->reason == TSK_REASON_TAINTED ? "is tainted, so it must be "
                                                 "replaced"
               : c->reason == TSK_REASON_REQUESTED
                   ? "will be replaced, as requested"
                   : "must be replaced";
        break;
    case TSK_READ:
    case TSK_NOOP:
        break;
    }
    tsk_render__header(r, c->addr, what);
    if (c->reason == TSK_REASON_NO_CONFIG)
        tsk_buf_addf(r->b, "  # (because %s is not in configuration)\n",
                     c->addr);
}

void tsk_render__resource(struct tsk_rt *r, const char *sym, const char *type,
                          const char *name)
{
    tsk_render__sym(r, sym);
    tsk_buf_adds(r->b, " resource \"");
    str(r->b, type);
    tsk_buf_adds(r->b, "\" \"");
    str(r->b, name);
    tsk_buf_adds(r->b, "\" {\n");
}

static void render_change(struct tsk_rt *r, const struct tsk_change *c)
{
    r->sens = (const char *const *)c->sensitive.v;
    r->nsens = c->sensitive.n;
    r->repl = (const char *const *)c->replace_paths.v;
    r->nrepl = c->replace_paths.n;
    change_header(r, c);
    tsk_render__resource(r, symbol(c->action), c->type, c->name);
    tsk_render__attrs(r, c->before, c->after, c->after_unknown);
    tsk_buf_adds(r->b, "    }\n");
}

void tsk_render_summary(struct tsk_buf *out, const struct tsk_plan *p)
{
    int add, change, destroy;
    tsk_plan_counts(p, &add, &change, &destroy);
    tsk_buf_addf(out, "Plan: %d to add, %d to change, %d to destroy.", add,
                 change, destroy);
}

static void legend(struct tsk_rt *r, const struct tsk_plan *p)
{
    static const struct {
        enum tsk_action a;
        const char *sym, *text;
    } rows[] = {
        {TSK_CREATE, "  +", "create"},
        {TSK_UPDATE, "  ~", "update in-place"},
        {TSK_DELETE, "  -", "destroy"},
        {TSK_REPLACE_DC, "-/+", "destroy and then create replacement"},
        {TSK_REPLACE_CD, "+/-", "create replacement and then destroy"},
        {TSK_READ, " <=", "read (data resources)"},
    };
    tsk_buf_adds(r->b, "tuskform used the selected providers to generate the "
                       "following execution\nplan. Resource actions are "
                       "indicated with the following symbols:\n");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int present = 0;
        for (size_t k = 0; k < p->changes.n && !present; k++)
            present = p->changes.v[k].action == rows[i].a;
        if (!present)
            continue;
        tsk_render__sym(r, rows[i].sym);
        tsk_buf_addf(r->b, " %s\n", rows[i].text);
    }
}

static size_t nchanges(const struct tsk_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->changes.n; i++)
        n += p->changes.v[i].action != TSK_NOOP;
    return n;
}

static void no_changes(struct tsk_rt *r, const struct tsk_plan *p)
{
    tsk_render__color_on(r, "1");
    tsk_buf_adds(r->b, "No changes.");
    tsk_render__color_off(r);
    if (p->refresh_only)
        tsk_buf_adds(r->b, " Your infrastructure still matches the "
                           "configuration.\n\ntuskform has checked that the "
                           "real remote objects still match the\nresult of "
                           "your most recent changes, and found no "
                           "differences.\n");
    else if (p->destroy)
        tsk_buf_adds(r->b, " No objects need to be destroyed.\n\nEither you "
                           "have not created any objects yet or the existing "
                           "objects were\nalready deleted outside of "
                           "tuskform.\n");
    else
        tsk_buf_adds(r->b, " Your infrastructure matches the configuration."
                           "\n\ntuskform has compared your real "
                           "infrastructure against your configuration\nand "
                           "found no differences, so no changes are "
                           "needed.\n");
}

void tsk_render_text_drift(struct tsk_buf *out, const struct tsk_plan *p,
                           const struct tsk_render_opts *o)
{
    struct tsk_rt r;
    if (!p->drift.n)
        return;
    tsk_render__init(&r, out, o);
    tsk_buf_addch(out, '\n');
    tsk_render__color_on(&r, "1");
    tsk_buf_adds(out, "Note: Objects have changed outside of tuskform");
    tsk_render__color_off(&r);
    tsk_buf_adds(out, "\n\ntuskform detected the following changes made "
                      "outside of tuskform since the\nlast \"tuskform "
                      "apply\" which may have affected this plan:\n");
    for (size_t i = 0; i < p->drift.n; i++) {
        const struct tsk_drift *dr = &p->drift.v[i];
        const char *dot = strchr(dr->addr, '.');
        int gone = dr->kind == TSK_DRIFT_DELETED;
        r.sens = (const char *const *)dr->sensitive.v;
        r.nsens = dr->sensitive.n;
        tsk_buf_addch(out, '\n');
        tsk_render__header(&r, dr->addr,
                           gone ? "has been deleted" : "has changed");
        tsk_render__resource(&r, gone ? "  -" : "  ~", dr->type,
                             dot ? dot + 1 : dr->addr);
        tsk_render__attrs(&r, dr->state_attrs, gone ? NULL : dr->remote_attrs,
                          NULL);
        tsk_buf_adds(out, "    }\n");
    }
    tsk_render__done(&r);
    tsk_buf_addch(out, '\n');
    if (p->refresh_only) { /* nothing follows but the notes of `plan` */
        tsk_buf_adds(out, "\nThis is a refresh-only plan, so tuskform will "
                          "not take any actions to undo\nthese. If you were "
                          "expecting these changes then you can apply this "
                          "plan to\nrecord the updated values in the "
                          "tuskform state without changing any remote\n"
                          "objects.\n");
        return;
    }
    tsk_buf_adds(out, "\nUnless you have made equivalent changes to your "
                      "configuration, the following\nplan may include "
                      "actions to undo or respond to these changes.\n");
    tsk_buf_adds(out, "\n" RULE);
}

/* Every plan but a refresh-only one ends with its cost estimate. */
static void cost(struct tsk_rt *r, const struct tsk_plan *p)
{
    if (!p->cost)
        return;
    tsk_buf_addch(r->b, '\n');
    tsk_cost_render_text(r->b, p->cost, r->o ? r->o->color : 0, 1);
}

void tsk_render_text(struct tsk_buf *out, const struct tsk_plan *p,
                     const struct tsk_render_opts *o)
{
    tsk_render_text_stream(out, p, o, NULL);
}

static void text(struct tsk_rt *r, const struct tsk_plan *p, FILE *stream);

void tsk_render_text_stream(struct tsk_buf *out, const struct tsk_plan *p,
                            const struct tsk_render_opts *o, FILE *stream)
{
    struct tsk_rt r;
    tsk_render__init(&r, out, o);
    text(&r, p, stream);
    tsk_render__done(&r);
}

static void text(struct tsk_rt *r, const struct tsk_plan *p, FILE *stream)
{
    struct tsk_buf *out = r->b;
    tsk_render_text_drift(out, p, r->o);
    if (p->refresh_only) {
        if (!p->drift.n) {
            tsk_buf_addch(out, '\n');
            no_changes(r, p);
        }
        return;
    }
    tsk_buf_addch(out, '\n');
    if (!nchanges(p)) {
        no_changes(r, p);
        cost(r, p);
        return;
    }
    legend(r, p);
    tsk_buf_adds(out, "\ntuskform will perform the following actions:\n");
    for (size_t i = 0; i < p->changes.n; i++) {
        if (p->changes.v[i].action == TSK_NOOP)
            continue;
        tsk_buf_addch(out, '\n');
        render_change(r, &p->changes.v[i]);
        if (stream && out->len >= ((size_t)1 << 20)) {
            fwrite(out->ptr, 1, out->len, stream);
            tsk_buf_reset(out);
        }
    }
    tsk_buf_addch(out, '\n');
    tsk_render__color_on(r, "1");
    tsk_buf_adds(out, "Plan:");
    tsk_render__color_off(r);
    tsk_buf_addch(out, ' ');
    struct tsk_buf tmp = TSK_BUF_INIT;
    tsk_render_summary(&tmp, p);
    tsk_buf_adds(out, tmp.ptr + 6);
    tsk_buf_release(&tmp);
    tsk_buf_addch(out, '\n');
    cost(r, p);
}
