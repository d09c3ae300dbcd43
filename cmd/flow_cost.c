/* flow_cost.c - the cost estimate of a plan made by the common flow. */
#include "flow.h"

#include "planner/cost_report.h"

int tsk_flow_cost(struct tsk_flow *f)
{
    struct tsk_cost_opts co = {.free_tier = f->o.cost_free_tier,
                               .budget_fail = f->o.budget_fail,
                               .destroy = f->plan.destroy};
    if (!f->cfg || !f->cfg->model)
        return 0;
    int nerr = f->d.nerr;
    cJSON_Delete(f->plan.cost);
    f->plan.cost = tsk_cost_report(f->cfg->model, f->prior.v, f->prior.n,
                                   &co, &f->d);
    return f->d.nerr > nerr ? TSK_ERROR : 0;
}
