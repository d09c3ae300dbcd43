#!/usr/bin/env bash
# cJSON on the slab allocator (planner/util/jalloc.h), as release builds
# run it: every command that makes, prints or frees cJSON memory, so that
# a free() of cJSON's memory (it must go to cJSON_free) stops the
# sanitizer build, which otherwise keeps cJSON on malloc. The outputs must
# be the same with either allocator.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"

# both NAME RC CMD...: runs CMD on malloc, then on the slabs; same exit
# code RC and the same output (the plan file's time and checksum aside).
both() {
  local name=$1 want=$2
  shift 2
  TSK_JALLOC=malloc expect_rc "$want" "$@"
  mv "$work/out" "$work/$name.malloc"
  TSK_JALLOC=slab expect_rc "$want" "$@"
  mv "$work/out" "$work/$name.slab"
  diff -u "$work/$name.malloc" "$work/$name.slab" ||
    fail "$name differs between the allocators"
}

both validate 0 tf validate -json
both graph 0 tf graph
both plan0 0 tf plan
both plan0j 0 tf plan -json
both plan0m 0 tf plan -format=markdown
both cost0 0 tf cost -json
TSK_JALLOC=slab expect_rc 0 tf plan -out=p1
both show1 0 tf show p1
both show1j 0 tf show -json p1
TSK_JALLOC=slab expect_rc 0 tf apply p1
has "$work/out" "Apply complete!"

note "applied: no-op plans kept as the stored text, state tools"
both plan1 0 tf plan -detailed-exitcode
both plan1j 0 tf plan -json
both plan1m 0 tf plan -format=markdown
TSK_JALLOC=slab expect_rc 0 tf plan -out=p2
TSK_JALLOC=malloc expect_rc 0 tf plan -out=p3
both show2j 0 tf show -json p2
both show3j 0 tf show -json p3
diff -u "$work/show2j.slab" "$work/show3j.slab" || fail "saved plans differ"
both list 0 tf state list
both sshow 0 tf state show local_function.api
both sshowj 0 tf state show -json local_function.api
both out 0 tf output -json
both hist 0 tf state history

note "drift, then an update"
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.memory_size', 999) WHERE name = 'shop-api'"
both drift 2 tf drift
both driftj 2 tf drift -json
both driftm 2 tf drift -format=markdown
sed -i 's/memory_size = 256/memory_size = 768/' main.tsk
both plan2 0 tf plan -refresh=false
has "$work/plan2.slab" "1 to change"
both plan2j 0 tf plan -refresh=false -json
TSK_JALLOC=slab expect_rc 0 tf apply -auto-approve
TSK_JALLOC=slab expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."

note "state mv and back, destroy"
TSK_JALLOC=slab expect_rc 0 tf state mv local_queue.orders local_queue.jobs
TSK_JALLOC=slab expect_rc 0 tf state mv local_queue.jobs local_queue.orders
TSK_JALLOC=slab expect_rc 0 tf destroy -auto-approve
has "$work/out" "Destroy complete!"
