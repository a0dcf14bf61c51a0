//! The technician panel (egui, over an empty citizen page): server, token, printer, paper,
//! test print, printer status. egui lays Arabic out left to right, so every label goes
//! through `egui_text`'s bidi fix-up.

use super::kiosk::Kiosk;
use super::options::Opts;
use crate::egui_text;
use crate::flow::{Action, Screen};
use crate::printer::{PrinterStatus, Target};
use crate::printing::PrintJob;
use bevy::prelude::*;
use bevy_egui::{
    EguiContexts, EguiInput, EguiPlugin, EguiPreUpdateSet, EguiPrimaryContextPass, egui,
};
use hall_ui::Tr;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(EguiPlugin::default())
        .add_systems(
            PreUpdate,
            quiet_egui_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        )
        .add_systems(EguiPrimaryContextPass, technician_panel);
}

/// The technician panel: server, token, printer, paper, test print, printer status.
fn technician_panel(
    mut contexts: EguiContexts,
    mut kiosk: ResMut<Kiosk>,
    opts: Res<Opts>,
    trs: Res<Tr>,
    mut fonts_installed: Local<bool>,
) -> Result {
    if kiosk.flow.screen != Screen::Panel {
        return Ok(());
    }
    let tr = trs.get(kiosk.flow.lang);
    let ctx = contexts.ctx_mut()?;
    if !*fonts_installed {
        egui_text::install_arabic_font(ctx, &opts.0.assets);
        *fonts_installed = true;
    }
    ctx.set_pixels_per_point(2.0);
    let color = ctx.global_style().visuals.text_color();
    // Every label through the bidi fix-up (Arabic reads right to left in egui only so).
    let l = |s: String| egui_text::line(&s, egui::FontId::proportional(15.0), color);
    let t = |id: &str| l(tr.tr(id, &[]));
    let k = &mut *kiosk;
    let mut viewport = egui::Ui::new(
        ctx.clone(),
        "technician-panel".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::CentralPanel::default().show(&mut viewport, |ui| {
        ui.label(egui_text::line(
            &tr.tr("panel-title", &[]),
            egui::FontId::proportional(24.0),
            color,
        ));
        ui.separator();
        egui::Grid::new("settings")
            .num_columns(2)
            .spacing([24.0, 14.0])
            .show(ui, |ui| {
                ui.label(t("panel-server"));
                ui.add(egui::TextEdit::singleline(&mut k.panel.server).desired_width(300.0));
                ui.end_row();
                ui.label(t("panel-token"));
                ui.add(
                    egui::TextEdit::singleline(&mut k.panel.token)
                        .password(true)
                        .desired_width(300.0),
                );
                ui.end_row();
                ui.label(t("panel-printer"));
                ui.add(egui::TextEdit::singleline(&mut k.panel.printer).desired_width(300.0));
                ui.end_row();
                ui.label(t("panel-paper"));
                ui.horizontal(|ui| {
                    ui.radio_value(&mut k.panel.paper_mm, 80, "80 mm");
                    ui.radio_value(&mut k.panel.paper_mm, 58, "58 mm");
                });
                ui.end_row();
                ui.label(t("panel-connection"));
                ui.label(if k.live {
                    t("panel-connected")
                } else {
                    t("panel-disconnected")
                });
                ui.end_row();
                ui.label(t("panel-printer-status"));
                ui.label(l(match &k.panel.printer_status {
                    Some(s) => match s {
                        PrinterStatus::Offline(why) => {
                            format!("{} ({why})", tr.tr(&s.message_id(), &[]))
                        }
                        _ => tr.tr(&s.message_id(), &[]),
                    },
                    None => "—".into(),
                }));
                ui.end_row();
            });
        if let Some(why) = &k.panel.refused {
            ui.colored_label(
                egui::Color32::RED,
                format!("{}: {why}", tr.tr("panel-token-refused", &[])),
            );
        }
        ui.add_space(12.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button(t("panel-save")).clicked() {
                let mut s = k.settings.clone();
                s.server = k.panel.server.trim().to_string();
                s.token = k.panel.token.trim().to_string();
                s.printer = k.panel.printer.trim().to_string();
                s.paper_mm = k.panel.paper_mm;
                let bad_printer = !s.printer.is_empty() && s.printer.parse::<Target>().is_err();
                if bad_printer {
                    k.panel.note = tr.tr("panel-bad-printer", &[]);
                } else {
                    match s.save(&opts.0.settings_path) {
                        Ok(()) => k.panel.note = tr.tr("panel-saved", &[]),
                        Err(e) => k.panel.note = format!("{}: {e}", tr.tr("panel-not-saved", &[])),
                    }
                    if s.server != k.settings.server || s.token != k.settings.token {
                        k.link.reconfigure(&s.server, &s.token);
                    }
                    let _ = k.printer.send(PrintJob::Configure(s.clone()));
                    let _ = k.printer.send(PrintJob::Status);
                    k.settings = s;
                }
            }
            if ui.button(t("panel-test-print")).clicked() {
                let printed_at = k.local_now();
                let _ = k.printer.send(PrintJob::Test {
                    lang: k.flow.lang,
                    printed_at,
                    digits: k.digits(),
                });
                k.panel.note = tr.tr("panel-printing", &[]);
            }
            if ui.button(t("panel-check-printer")).clicked() {
                let _ = k.printer.send(PrintJob::Status);
            }
            if ui.button(t("panel-close")).clicked() {
                k.tap(Action::ClosePanel);
            }
        });
        if !k.panel.note.is_empty() {
            ui.add_space(8.0);
            ui.label(l(k.panel.note.clone()));
        }
    });
    Ok(())
}

/// bevy_egui 0.42 reports the modifier keys every frame, which makes egui ask for a repaint
/// every frame and defeats reactive updates (docs/platform.md): drop the report when unchanged.
fn quiet_egui_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        let mut seen = *last;
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = seen != Some(*m);
                seen = Some(*m);
                changed
            }
            _ => true,
        });
        *last = seen;
    }
}
