//! Evaluation (好差评) and consultation (咨询) against a real database: a task is rated once (a second rating is
//! refused and changes nothing), only by its owner and only once it has ended; a poor rating opens a follow-up for
//! the task's department due in working days, closed by that department's officer with a response the owner is
//! notified of; a question goes to the right department, another department's answer is refused with nothing
//! changed, and the answer is published as an FAQ with the officer's edited text. Run by `make db-test` on SQLite
//! and on PostgreSQL.

#![cfg(feature = "ssr")]

mod common;

use std::collections::BTreeMap;

use app::api::account::SessionUser;
use app::domain::case_flow::{CaseAction, TaskAction};
use app::domain::feedback::{due_after, Problem};
use app::domain::roadmap::plan;
use app::domain::{Catalog, Role};
use app::server::case_actions::{act, Acting, Outcome, Target};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::wizard::{answers_of, decode_query};
use app::server::{consultation, feedback, notifications};
use common::{catalog, state, test_db, unique, user_in};
use time::macros::date;
use time::Date;

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

/// Monday 3 March 2025.
const TODAY: Date = date!(2025 - 03 - 03);

/// A restaurant case owned by a fresh citizen, accepted, with the licence task (市场监管) approved by `samr`:
/// (number, owner).
async fn case_with_an_ended_task(
    db: &Db,
    catalog: &Catalog,
    samr: &SessionUser,
) -> (String, SessionUser) {
    let owner = user_in(db, Role::Citizen, None).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    let draft = unique("draft");
    sqlx::query(
        "INSERT INTO draft (id, theme_id, account_id, answers, created_at, updated_at, expires_at) \
         VALUES ($1, 'open-restaurant', $2, $3, '2025-01-01', '2025-01-01', '2099-01-01')",
    )
    .bind(&draft)
    .bind(owner.account_id)
    .bind(ANSWERS)
    .execute(&db.pool)
    .await
    .expect("draft");
    let number = cases::submit(
        db,
        catalog,
        NewCase {
            draft_id: &draft,
            theme_id: "open-restaurant",
            account_id: Some(owner.account_id),
            answers: ANSWERS,
            fields: &BTreeMap::new(),
            roadmap: &roadmap,
            actor_role: "citizen",
            address: None,
        },
    )
    .await
    .expect("submit");
    let window = user_in(db, Role::Window, None).await;
    let version = cases::by_number(db, &number)
        .await
        .unwrap()
        .unwrap()
        .version;
    let accepted = act(
        db,
        catalog,
        &number,
        version,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        TODAY,
    )
    .await
    .expect("accept");
    assert_eq!(accepted, Outcome::Done);
    let case = cases::by_number(db, &number).await.unwrap().unwrap();
    let licence = cases::tasks(db, case.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.task.id == "licence")
        .expect("licence task");
    let approved = act(
        db,
        catalog,
        &number,
        licence.version,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::Approve,
        },
        &Acting::person(samr, None),
        TODAY,
    )
    .await
    .expect("approve");
    assert_eq!(approved, Outcome::Done);
    (number, owner)
}

async fn count(db: &Db, sql: &str, number: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(number)
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

const RATINGS_OF: &str =
    "SELECT COUNT(*) FROM rating r JOIN hall_case c ON c.id = r.case_id WHERE c.number = $1";
const FOLLOW_UPS_OF: &str =
    "SELECT COUNT(*) FROM follow_up f JOIN hall_case c ON c.id = f.case_id WHERE c.number = $1";

#[tokio::test]
async fn a_task_is_rated_once_by_its_owner_after_it_ended() {
    let db = test_db("feedback", "rate-once").await;
    let catalog = catalog();
    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let (number, owner) = case_with_an_ended_task(&db, &catalog, &samr).await;
    let stranger = user_in(&db, Role::Citizen, None).await;

    // Someone else cannot rate it, and nothing is stored.
    let refused = feedback::rate(
        &db,
        &catalog,
        stranger.account_id,
        &number,
        "licence",
        "satisfied",
        "",
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(refused, Err(Problem::NotOwner));
    // A task still in review cannot be rated yet; neither can the case, which is not closed.
    let open = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "fire",
        "satisfied",
        "",
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(open, Err(Problem::NotEnded));
    let case = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "",
        "satisfied",
        "",
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(case, Err(Problem::NotEnded));
    // No level chosen: refused with its own message.
    let none = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "licence",
        "",
        "很好",
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(none, Err(Problem::NoLevel));
    assert_eq!(count(&db, RATINGS_OF, &number).await, 0);

    // The owner rates the approved task: stored, no follow-up for a good rating.
    let rated = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "licence",
        "very_satisfied",
        " 很快 ",
        TODAY,
    )
    .await
    .unwrap()
    .expect("rated");
    assert_eq!(rated.follow_up, None);
    let (level, comment, department): (String, Option<String>, String) =
        sqlx::query_as("SELECT level, comment, department_id FROM rating WHERE id = $1")
            .bind(rated.rating_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(level, "very_satisfied");
    assert_eq!(comment.as_deref(), Some("很快"));
    assert_eq!(department, "samr");

    // A second rating of the same task is refused and changes nothing, even a poor one.
    let again = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "licence",
        "very_dissatisfied",
        "改主意了",
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(again, Err(Problem::AlreadyRated));
    assert_eq!(count(&db, RATINGS_OF, &number).await, 1);
    assert_eq!(count(&db, FOLLOW_UPS_OF, &number).await, 0);
    let level: String = sqlx::query_scalar("SELECT level FROM rating WHERE id = $1")
        .bind(rated.rating_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(level, "very_satisfied");

    // The owner's view on the case page shows the rating.
    let state = state(&db, catalog.clone());
    let view = feedback::case_feedback(&state, Some(owner.clone()), &number)
        .await
        .unwrap()
        .expect("owner's view");
    let licence = view
        .targets
        .iter()
        .find(|t| t.step == "licence")
        .expect("licence");
    assert!(licence.ended);
    assert_eq!(
        licence.rating.as_ref().map(|r| r.level),
        Some(app::domain::feedback::Level::VerySatisfied)
    );
    // Anyone else sees nothing of it.
    assert!(feedback::case_feedback(&state, Some(stranger), &number)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_poor_rating_opens_a_follow_up_that_the_department_closes() {
    let db = test_db("feedback", "follow-up").await;
    let catalog = catalog();
    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let tax = user_in(&db, Role::Officer, Some("tax")).await;
    let (number, owner) = case_with_an_ended_task(&db, &catalog, &samr).await;

    // Friday 7 March 2025: the follow-up is due the catalog's follow_up_days working days later.
    let friday = date!(2025 - 03 - 07);
    let rated = feedback::rate(
        &db,
        &catalog,
        owner.account_id,
        &number,
        "licence",
        "dissatisfied",
        "材料来回退了三次",
        friday,
    )
    .await
    .unwrap()
    .expect("rated");
    let (follow_up, due) = rated.follow_up.expect("a follow-up for a poor rating");
    assert_eq!(catalog.follow_up_days(), 5);
    assert_eq!(due, date!(2025 - 03 - 14));
    assert_eq!(
        due,
        due_after(friday, catalog.follow_up_days(), catalog.calendar())
    );
    let (department, due_on, status): (String, String, String) =
        sqlx::query_as("SELECT department_id, due_on, status FROM follow_up WHERE id = $1")
            .bind(follow_up)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        (department.as_str(), due_on.as_str(), status.as_str()),
        ("samr", "2025-03-14", "open")
    );

    // The samr officer's queue lists it; the tax officer's does not.
    let state = state(&db, catalog.clone());
    let listed = |page: app::api::work::StaffPage<app::api::feedback::FeedbackQueueView>| match page
    {
        app::api::work::StaffPage::Ready(v) => v.follow_ups.iter().any(|r| r.id == follow_up),
        _ => false,
    };
    assert!(listed(
        feedback::queue(&state, Some(samr.clone())).await.unwrap()
    ));
    assert!(!listed(
        feedback::queue(&state, Some(tax.clone())).await.unwrap()
    ));
    // The department's figures count it.
    let figures = feedback::department_counts(&db, "samr", friday)
        .await
        .unwrap();
    assert!(figures.follow_ups_open >= 1);

    // Another department's officer cannot close it: refused, nothing changed.
    let refused = feedback::close_follow_up(&db, &tax, follow_up, "不归我们管")
        .await
        .unwrap();
    assert_eq!(refused, Err(Problem::OtherDepartment));
    let status: String = sqlx::query_scalar("SELECT status FROM follow_up WHERE id = $1")
        .bind(follow_up)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(status, "open");
    // An empty response is refused too.
    assert_eq!(
        feedback::close_follow_up(&db, &samr, follow_up, "  ")
            .await
            .unwrap(),
        Err(Problem::EmptyText)
    );

    // The samr officer closes it; the owner is notified and sees the response.
    let unread_before = notifications::unread_count(&db, owner.account_id)
        .await
        .unwrap();
    feedback::close_follow_up(&db, &samr, follow_up, "已核实，窗口将一次性告知补正材料。")
        .await
        .unwrap()
        .expect("closed");
    assert_eq!(
        notifications::unread_count(&db, owner.account_id)
            .await
            .unwrap(),
        unread_before + 1
    );
    let view = feedback::case_feedback(&state, Some(owner.clone()), &number)
        .await
        .unwrap()
        .unwrap();
    let line = view
        .targets
        .iter()
        .find(|t| t.step == "licence")
        .and_then(|t| t.rating.clone())
        .and_then(|r| r.follow_up)
        .expect("follow-up");
    assert!(line.closed);
    assert_eq!(
        line.response.as_deref(),
        Some("已核实，窗口将一次性告知补正材料。")
    );
    // Closed once: a second response is refused.
    assert_eq!(
        feedback::close_follow_up(&db, &samr, follow_up, "再答一次")
            .await
            .unwrap(),
        Err(Problem::AlreadyAnswered)
    );
}

#[tokio::test]
async fn a_question_goes_to_its_department_and_becomes_an_faq() {
    let db = test_db("feedback", "consultation").await;
    let catalog = catalog();
    let asker = user_in(&db, Role::Citizen, None).await;
    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let tax = user_in(&db, Role::Officer, Some("tax")).await;
    let item = catalog
        .items_of("samr")
        .next()
        .expect("a samr item")
        .id
        .clone();

    // Routing: an item's question goes to its department; a theme's to its lead department, or to the chosen
    // item's department; an item outside the theme is refused.
    let on_item = consultation::ask(
        &db,
        &catalog,
        asker.account_id,
        &item,
        "",
        "",
        "需要带什么材料？",
        TODAY,
    )
    .await
    .unwrap()
    .expect("asked");
    let theme = catalog.theme("open-restaurant").unwrap();
    let on_theme = consultation::ask(
        &db,
        &catalog,
        asker.account_id,
        "",
        "open-restaurant",
        "",
        "多久能开业？",
        TODAY,
    )
    .await
    .unwrap()
    .expect("asked");
    let tax_item = theme
        .steps
        .iter()
        .flat_map(|s| s.items())
        .find(|i| catalog.item(i).is_some_and(|it| it.department == "tax"))
        .expect("a tax step")
        .to_owned();
    let chosen = consultation::ask(
        &db,
        &catalog,
        asker.account_id,
        "",
        "open-restaurant",
        &tax_item,
        "要办税务登记吗？",
        TODAY,
    )
    .await
    .unwrap()
    .expect("asked");
    let department_of = |id: i64| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT department_id FROM consultation WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(department_of(on_item).await, "samr");
    assert_eq!(department_of(on_theme).await, theme.lead_department);
    assert_eq!(department_of(chosen).await, "tax");
    assert_eq!(
        consultation::ask(
            &db,
            &catalog,
            asker.account_id,
            "",
            "open-restaurant",
            "no-such-item",
            "?",
            TODAY
        )
        .await
        .unwrap(),
        Err(Problem::UnknownSubject)
    );
    assert_eq!(
        consultation::ask(&db, &catalog, asker.account_id, &item, "", "", "   ", TODAY)
            .await
            .unwrap(),
        Err(Problem::EmptyQuestion)
    );
    // Due in the catalog's consultation_days working days (Monday + 3 = Thursday).
    let due: String = sqlx::query_scalar("SELECT due_on FROM consultation WHERE id = $1")
        .bind(on_item)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(due, "2025-03-06");

    // The tax officer cannot answer samr's question: refused, nothing changed, nobody notified.
    let unread = notifications::unread_count(&db, asker.account_id)
        .await
        .unwrap();
    assert_eq!(
        consultation::answer(&db, &tax, on_item, "随便答")
            .await
            .unwrap(),
        Err(Problem::OtherDepartment)
    );
    let (status, answer): (String, Option<String>) =
        sqlx::query_as("SELECT status, answer FROM consultation WHERE id = $1")
            .bind(on_item)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), answer), ("open", None));
    assert_eq!(
        notifications::unread_count(&db, asker.account_id)
            .await
            .unwrap(),
        unread
    );
    // Nor publish it.
    assert_eq!(
        consultation::publish(&db, &tax, on_item, "Q", "A")
            .await
            .unwrap(),
        Err(Problem::OtherDepartment)
    );
    // Not answered yet: nothing to publish.
    assert_eq!(
        consultation::publish(&db, &samr, on_item, "Q", "A")
            .await
            .unwrap(),
        Err(Problem::NotAnswered)
    );

    // The samr officer answers; the asker is notified and reads it on 我的咨询.
    consultation::answer(
        &db,
        &samr,
        on_item,
        "营业执照、场所证明和身份证件。张三的材料已收到。",
    )
    .await
    .unwrap()
    .expect("answered");
    assert_eq!(
        notifications::unread_count(&db, asker.account_id)
            .await
            .unwrap(),
        unread + 1
    );
    let listed = notifications::list(&db, asker.account_id, 10)
        .await
        .unwrap();
    assert_eq!(listed[0].code, "consultation_answered");
    assert_eq!(listed[0].case_number, "");
    let state = state(&db, catalog.clone());
    let mine = consultation::mine(&state, asker.account_id).await.unwrap();
    let answered = mine.iter().find(|c| c.id == on_item).expect("listed");
    assert!(answered
        .answer
        .as_deref()
        .is_some_and(|a| a.starts_with("营业执照")));
    // The first answer stands.
    assert_eq!(
        consultation::answer(&db, &samr, on_item, "第二次")
            .await
            .unwrap(),
        Err(Problem::AlreadyAnswered)
    );

    // Published with the officer's edited text (the name taken out), once, on the item page.
    consultation::publish(
        &db,
        &samr,
        on_item,
        "开办需要带什么材料？",
        "营业执照、场所证明和身份证件。",
    )
    .await
    .unwrap()
    .expect("published");
    assert_eq!(
        consultation::publish(&db, &samr, on_item, "again", "again")
            .await
            .unwrap(),
        Err(Problem::AlreadyPublished)
    );
    let faqs = consultation::faqs(&db, &item).await.unwrap();
    let faq = faqs
        .iter()
        .find(|f| f.question == "开办需要带什么材料？")
        .expect("on the item page");
    assert_eq!(faq.answer, "营业执照、场所证明和身份证件。");
    assert!(faqs.iter().all(|f| !f.answer.contains("张三")));
    // A question about a whole theme has no item page to be published on.
    let lead = user_in(&db, Role::Officer, Some(theme.lead_department.as_str())).await;
    consultation::answer(&db, &lead, on_theme, "约两周。")
        .await
        .unwrap()
        .expect("answered");
    assert_eq!(
        consultation::publish(&db, &lead, on_theme, "多久能开业？", "约两周。")
            .await
            .unwrap(),
        Err(Problem::UnknownSubject)
    );
}
