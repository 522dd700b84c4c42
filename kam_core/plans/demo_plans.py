"""Example account plans for the demo dataset (Carrefour, RT-Mart, Ningbo Sanjiang).

``seed(db, user)`` writes them for the demo's latest year (the year of the latest sales month),
through the versioned store like any save: Carrefour gets two versions so history and diff have
something to show. Accounts already holding a plan for that year are left alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kam_core.db import Database
from kam_core.plans import store
from kam_core.plans.model import (
    Action,
    Competitor,
    Objective,
    OwnCompany,
    PlanDoc,
    Relationship,
    Stakeholder,
    Swot,
    SwotItem,
)


def carrefour(year: int) -> PlanDoc:
    y = year
    return PlanDoc(
        account="Carrefour",
        year=y,
        relationship=Relationship(
            "cooperative",
            "interdependent",
            "Buyer and our KAM meet monthly and logistics talk weekly, but there is no joint business plan and "
            "sell-out data comes only on request.",
        ),
        vision="Become Carrefour China's preferred partner for snacks and beverages, growing ahead of the category.",
        strategy="Agree a joint business plan with the category director: fewer, faster SKUs, two national promotion "
        "windows (CNY, mid-autumn), shared monthly sell-out data; hold trade spend flat while growing revenue.",
        swot=Swot(
            strengths=[SwotItem("Strong CNY gift-box sell-through", note="top 3 in category last CNY")],
            weaknesses=[SwotItem("Trade spend above our K/A average", note="listing fees renegotiated yearly")],
            opportunities=[SwotItem("Carrefour's convenience-format pilot in Shanghai", note="needs small packs")],
            threats=[SwotItem("Store closures in lower-tier cities"), SwotItem("Private-label snacks at -20% price")],
        ),
        competitors=[
            Competitor("Want Want", 0.22, "brand awareness, full range", "took the CNY end-caps in North China"),
            Competitor("Carrefour private label", 0.08, "price", "extended to dairy drinks this spring"),
        ],
        own_company=OwnCompany(
            supplied_now="Snacks, beverages, dairy, personal care in hypermarkets across 22 provinces.",
            supplied_before="Household range delisted two years ago after a planogram review.",
            service_issues="Out-of-stocks in South China during CNY; late promotion invoices.",
        ),
        stakeholders=[
            Stakeholder(
                "Zhang Lin",
                "Category director, food",
                "decision_maker",
                "neutral",
                5,
                "Li Wei",
                date(y, 3, 12),
                "wants sell-out growth, not sell-in",
            ),
            Stakeholder("Chen Yu", "Senior buyer, snacks", "influencer", "supporter", 4, "Li Wei", date(y, 5, 20)),
            Stakeholder("Sophie Martin", "Supply-chain director", "gatekeeper", "neutral", 3, "Zhou Tao"),
        ],
        objectives=[
            Objective("rev", "revenue", 250_000_000.0, date(y, 12, 31), note="+7% on last year"),
            Objective("snacks", "revenue", 56_000_000.0, date(y, 12, 31), category="Snacks"),
            Objective(
                "spend",
                "trade_spend_pct",
                10.5,
                date(y, 12, 31),
                baseline=11.2,
                baseline_source="manual",
                note="baseline from the 2025 trade terms letter",
            ),
        ],
        actions=[
            Action(
                "Joint business plan workshop with the category team",
                "relationship",
                "A1",
                "Li Wei",
                date(y, 2, 1),
                date(y, 3, 31),
                20_000.0,
                "done",
                "rev",
            ),
            Action(
                "Mid-autumn gift-box promotion, 400 stores",
                "promotion",
                "A2",
                "Li Wei",
                date(y, 8, 1),
                date(y, 9, 30),
                1_200_000.0,
                "in_progress",
                "snacks",
            ),
            Action(
                "Renegotiate listing fees against a growth rebate",
                "expense",
                "A3",
                "Li Wei",
                date(y, 4, 1),
                date(y, 6, 30),
                None,
                "planned",
                "spend",
            ),
        ],
    )


def rt_mart(year: int) -> PlanDoc:
    y = year
    return PlanDoc(
        account="RT-Mart",
        year=y,
        relationship=Relationship(
            "interdependent",
            "integrated",
            "Quarterly top-to-top meetings, weekly sell-out and stock data, a joint annual plan since last year.",
        ),
        vision="Grow with RT-Mart's new-store programme and its online-to-offline channel.",
        strategy="Co-invest in RT-Mart's O2O shelf, launch the new dairy line first at RT-Mart, "
        "and move the promotion calendar into a shared planning tool.",
        swot=Swot(
            strengths=[SwotItem("Fastest-growing national chain for us")],
            opportunities=[SwotItem("New-store openings in Central China")],
            threats=[SwotItem("Alibaba group buying terms may centralise listings")],
        ),
        competitors=[Competitor("Master Kong", 0.18, "beverages scale", "exclusive O2O bundle")],
        own_company=OwnCompany(supplied_now="Full range; dairy launched last year.", service_issues="None open."),
        stakeholders=[
            Stakeholder("Liu Qiang", "Purchasing VP", "decision_maker", "champion", 5, "Liu Yang", date(y, 6, 2)),
            Stakeholder("He Jing", "O2O manager", "user", "supporter", 3, "Liu Yang", date(y, 4, 18)),
        ],
        objectives=[
            Objective("rev", "revenue", 250_000_000.0, date(y, 12, 31)),
            Objective("stores", "stores_buying", 75.0, date(y, 12, 31), note="every store carries the range"),
            Objective("margin", "gross_margin_pct", 30.5, date(y, 12, 31)),
        ],
        actions=[
            Action(
                "Dairy line launch in 75 stores",
                "new_product_launch",
                "B1",
                "Liu Yang",
                date(y, 3, 1),
                date(y, 5, 31),
                800_000.0,
                "done",
                "rev",
            ),
            Action(
                "Shared promotion calendar in the planning tool",
                "category_management",
                "B2",
                "Liu Yang",
                date(y, 6, 1),
                date(y, 11, 30),
                50_000.0,
                "in_progress",
                "margin",
            ),
        ],
    )


def ningbo_sanjiang(year: int) -> PlanDoc:
    y = year
    return PlanDoc(
        account="Ningbo Sanjiang",
        year=y,
        relationship=Relationship("basic", "cooperative", "One buyer, price-led; no data shared."),
        vision="Be the first national brand Sanjiang calls for Zhejiang promotions.",
        strategy="Offer a local promotion calendar and collect overdue payments before extending terms.",
        swot=Swot(weaknesses=[SwotItem("Slow payer: overdue balance every month")]),
        stakeholders=[Stakeholder("Xu Ming", "Buyer", "decision_maker", "neutral", 4, "Zhou Tao", date(y, 2, 27))],
        objectives=[
            Objective("overdue", "overdue_receivables", 1_000_000.0, date(y, 12, 31)),
            Objective("skus", "skus_sold", 50.0, date(y, 12, 31)),
        ],
        actions=[
            Action(
                "Monthly statement review with finance",
                "collection",
                "C1",
                "Zhou Tao",
                date(y, 1, 15),
                date(y, 6, 30),
                None,
                "in_progress",
                "overdue",
            ),
            Action(
                "Zhejiang summer promotion",
                "promotion",
                "C2",
                "Zhou Tao",
                date(y, 6, 1),
                date(y, 8, 31),
                150_000.0,
                "planned",
                "skus",
            ),
        ],
    )


# Example plans are saved under this name, so removing the demo removes them too (and only them).
DEMO_PLAN_USER = "demo (example plan)"


def seed(db: Database, user: str = DEMO_PLAN_USER) -> list[store.PlanVersion]:
    """Write the example plans for the latest year of the data; returns the versions written.

    ``user`` is recorded in the audit log as who built the demo; the versions themselves are saved
    as :data:`DEMO_PLAN_USER`.
    """
    user = DEMO_PLAN_USER
    last = db.scalar("SELECT max(period) FROM sales")
    if last is None:
        return []
    year = last.year
    out: list[store.PlanVersion] = []
    for make in (carrefour, rt_mart, ningbo_sanjiang):
        doc = make(year)
        if db.scalar("SELECT count(*) FROM accounts WHERE account = ?", [doc.account]) == 0:
            continue  # not in this dataset
        if store.latest(db, doc.account, year) is not None:
            continue
        if doc.account == "Carrefour":  # a first draft, then the agreed plan: history and diff to show
            draft = replace(doc, relationship=replace(doc.relationship, target_stage="cooperative"),
                            actions=doc.actions[:1])  # fmt: skip
            v1 = store.save(db, doc.account, year, draft, 0, "first draft after the kick-off", user)
            out.append(v1)
            out.append(store.save(db, doc.account, year, doc, v1.version, "agreed with the category team", user))
        else:
            out.append(store.save(db, doc.account, year, doc, 0, "annual plan", user))
    return out


__all__ = ["DEMO_PLAN_USER", "carrefour", "ningbo_sanjiang", "rt_mart", "seed"]
