package dev.drover.module;

/**
 * A systemd unit as one service manager sees it: what {@code systemctl show} and
 * {@code systemctl is-enabled} report, reduced to what modules plan from.
 *
 * @param loadState     {@code loaded}, {@code not-found}, {@code masked}, …
 * @param activeState   {@code active}, {@code inactive}, {@code failed}, {@code activating}, …
 * @param unitFileState what {@code systemctl is-enabled} prints: {@code enabled}, {@code disabled},
 *                      {@code static}, {@code masked}, {@code generated}, {@code transient}, …
 * @param wanted        another unit pulls it in (WantedBy/RequiredBy not empty): for a generated
 *                      unit, whether its quadlet's [Install] section enables it
 */
public record UnitState(String loadState, String activeState, String unitFileState, boolean wanted) {

    public UnitState withActive(String state) {
        return new UnitState(loadState, state, unitFileState, wanted);
    }

    public UnitState withUnitFileState(String state) {
        return new UnitState("masked".equals(state) ? "masked" : "masked".equals(loadState) ? "loaded" : loadState,
                activeState, state, wanted);
    }
}
