//! AI-change signals (SPEC §8). From recorded reviews ([`reviewed`] → [`review_stats`]): hunks
//! reviewed per week by AI and human authors, rejection rates, findings, time to decision,
//! rubber stamps. From git history alone ([`history_git`] → [`history`]): infrastructure
//! changes per week by AI and human authors, rollback rates, time to remediate. The
//! aggregation is pure; [`text`] draws both as tables with small bar charts.

pub mod calendar;
pub mod file_kind;
pub mod history;
pub mod history_git;
pub mod review_stats;
pub mod reviewed;
pub mod spread;
pub mod text;
